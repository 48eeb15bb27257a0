//! End-to-end tests in headless Debian Chromium, driven through
//! chromedriver (WebDriver). They walk the journeys a person takes and save
//! screenshots of the main pages under `test-output/screenshots`.
//!
//! Without chromedriver the tests say they were skipped, unless
//! `THIDUA_REQUIRE_BROWSER=1` (set by the test script), when they fail.

use crate::WebConfig;
use crate::tests::start_with;
use checks::{shot, shots_dir};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use thidua_app::demo::DEMO_PASSWORD;
use thidua_store::Engine;
use thidua_store::testkit::TestDb;

struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

async fn driver() -> Option<Driver> {
    let bin = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(bin) = bin else {
        assert!(
            std::env::var("THIDUA_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "THIDUA_REQUIRE_BROWSER=1 but chromedriver is missing"
        );
        eprintln!("skipped: chromedriver not installed (apt-get install chromium chromium-driver)");
        return None;
    };
    let port = free_port();
    // Owned by `Driver` at once, whose Drop kills and reaps it.
    let driver = Driver {
        child: Command::new(bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
        port,
    };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(driver);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start");
}

async fn browser(d: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1366,1000", "--lang=vi"]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", d.port))
        .await
        .expect("WebDriver session")
}

async fn login(c: &Client, base: &str, login: &str) {
    c.goto(&format!("{base}/dang-nhap"))
        .await
        .expect("login page");
    let f = c.form(Locator::Css("form.stack")).await.expect("form");
    f.set_by_name("login", login).await.expect("login");
    f.set_by_name("password", DEMO_PASSWORD)
        .await
        .expect("password");
    f.submit().await.expect("submit");
    c.wait()
        .for_element(Locator::Css("header .me"))
        .await
        .expect("signed in");
}

async fn text(c: &Client) -> String {
    checks::visited(c).await;
    c.find(Locator::Css("main"))
        .await
        .expect("main")
        .text()
        .await
        .expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_adds_a_unit_and_finds_it_in_the_audit_log() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    let c = browser(&d).await;
    let base = app.base.clone();

    c.goto(&format!("{base}/to-chuc")).await.expect("goto");
    assert!(
        c.current_url()
            .await
            .expect("url")
            .path()
            .starts_with("/dang-nhap"),
        "anonymous is sent to log in"
    );
    shot(&c, "01-dang-nhap").await;
    login(&c, &base, "admin").await;
    shot(&c, "02-trang-chu").await;

    c.find(Locator::LinkText("Tổ chức"))
        .await
        .expect("nav")
        .click()
        .await
        .expect("click");
    c.wait()
        .for_element(Locator::Css("table.list"))
        .await
        .expect("tree");
    assert!(text(&c).await.contains("34 tỉnh, thành phố"));
    shot(&c, "03-cay-to-chuc").await;
    c.find(Locator::LinkText("Tỉnh Lâm Đồng"))
        .await
        .expect("province")
        .click()
        .await
        .expect("click");
    c.wait()
        .for_element(Locator::Id("don-vi-truc-thuoc"))
        .await
        .expect("unit page");
    shot(&c, "04-tinh-lam-dong").await;
    c.find(Locator::LinkText("Phường Nam Gia Nghĩa"))
        .await
        .expect("ward")
        .click()
        .await
        .expect("click");
    c.wait()
        .for_element(Locator::LinkText("Thêm đơn vị trực thuộc"))
        .await
        .expect("action")
        .click()
        .await
        .expect("click");
    let f = c.form(Locator::Css("form.stack")).await.expect("form");
    f.set_by_name("code", "LD.NGN.HCCB").await.expect("code");
    f.set_by_name("name", "Hội Cựu chiến binh phường Nam Gia Nghĩa")
        .await
        .expect("name");
    c.find(Locator::Css("select[name=kind]"))
        .await
        .expect("select")
        .select_by_value("association")
        .await
        .expect("kind");
    f.submit().await.expect("submit");
    c.wait()
        .for_element(Locator::Css("p.flash"))
        .await
        .expect("flash");
    let page = text(&c).await;
    assert!(
        page.contains("Đã thêm đơn vị «Hội Cựu chiến binh phường Nam Gia Nghĩa»"),
        "{page}"
    );
    assert!(
        page.contains("Phường Nam Gia Nghĩa"),
        "breadcrumb shows the parent"
    );
    shot(&c, "05-don-vi-moi").await;

    c.find(Locator::LinkText("Quản trị"))
        .await
        .expect("admin nav")
        .click()
        .await
        .expect("click");
    c.wait()
        .for_element(Locator::LinkText("Nhật ký thay đổi"))
        .await
        .expect("audit link")
        .click()
        .await
        .expect("click");
    c.wait()
        .for_element(Locator::Css("table.audit"))
        .await
        .expect("audit");
    let log = text(&c).await;
    assert!(
        log.contains("unit.create") && log.contains("Hội Cựu chiến binh phường Nam Gia Nghĩa"),
        "{log}"
    );
    shot(&c, "06-nhat-ky").await;
    c.goto(&format!("{base}/quan-tri/tai-khoan"))
        .await
        .expect("users");
    shot(&c, "07-tai-khoan").await;
    c.close().await.expect("close");
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commune_officer_is_refused_another_communes_page() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    let today = crate::pages::today_vn();
    let other = db
        .store
        .resolve_code("24611", None, today)
        .await
        .expect("q")
        .expect("unit")
        .id
        .0;
    let own = db
        .store
        .resolve_code("24615", None, today)
        .await
        .expect("q")
        .expect("unit")
        .id
        .0;
    let c = browser(&d).await;
    login(&c, &app.base, "yquang.xa").await;
    c.goto(&format!("{}/to-chuc/{own}", app.base))
        .await
        .expect("own");
    assert!(text(&c).await.contains("Phường Nam Gia Nghĩa"));
    shot(&c, "08-xa-cua-minh").await;
    c.goto(&format!("{}/to-chuc/{other}", app.base))
        .await
        .expect("other");
    let page = text(&c).await;
    assert!(page.contains("Không có quyền truy cập"), "{page}");
    assert!(
        !page.contains("Phường Bắc Gia Nghĩa"),
        "nothing of the other commune is shown"
    );
    shot(&c, "09-tu-choi").await;
    c.close().await.expect("close");
    db.finish().await;
}

/// The bar of a unit in the dashboard's chart, by its title.
async fn bar_value(c: &Client, unit: &str) -> String {
    c.find(Locator::XPath(&format!(
        "//*[local-name()='rect'][contains(., '{unit}')]"
    )))
    .await
    .expect("bar")
    .attr("data-value")
    .await
    .expect("attr")
    .unwrap_or_default()
}

async fn logout(c: &Client) {
    c.find(Locator::Css("form[action='/dang-xuat'] button"))
        .await
        .expect("logout")
        .click()
        .await
        .expect("click");
    c.wait()
        .for_element(Locator::Css("form.stack"))
        .await
        .expect("back at the login page");
}

/// The count of the home page's «Việc cần làm», then of the to-do page
/// and its rows: the three must agree. Returns the to-do page's text.
async fn todo_counts_agree(c: &Client, base: &str) -> (usize, String) {
    let count = |c: &Client| {
        let c = c.clone();
        async move {
            c.find(Locator::Css("#todo-count"))
                .await
                .expect("count")
                .attr("data-count")
                .await
                .expect("attr")
                .and_then(|n| n.parse::<usize>().ok())
                .expect("a number")
        }
    };
    c.goto(&format!("{base}/")).await.expect("home");
    let home = count(c).await;
    c.goto(&format!("{base}/viec-can-lam"))
        .await
        .expect("to-do page");
    let page = count(c).await;
    let rows = c
        .find_all(Locator::Css("table#todo tbody tr a"))
        .await
        .expect("rows")
        .len();
    assert_eq!(home, page, "home and to-do page count the same work");
    assert_eq!(rows, page, "one row per item");
    let sheet = thidua_sheets::read_first(&dossier_journey::download(c, "//a[@id='xlsx']").await)
        .expect("XLSX");
    assert_eq!(sheet.len() - 1, page, "the export holds the list");
    (page, text(c).await)
}

/// The statistics page's sentence for a query.
async fn stats_sentence(c: &Client, url: &str) -> String {
    c.goto(url).await.expect("statistics");
    until(c, "//p[@id='sentence']")
        .await
        .text()
        .await
        .expect("text")
}

/// `http://127.0.0.1:PORT` of a page's address.
fn base_of(url: &impl std::fmt::Display) -> String {
    let url = url.to_string();
    url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/")
}

async fn first_figure(c: &Client) -> String {
    c.find(Locator::Css("#figures tbody tr:first-child td.num"))
        .await
        .expect("figure")
        .text()
        .await
        .expect("text")
}

/// Journey 1, its middle: a xã enters its criteria, the province approves
/// them, and the province's dashboard counts one more xã at the standard.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commune_enters_values_the_province_approves_and_the_chart_changes() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    let base = app.base.clone();
    let c = browser(&d).await;

    login(&c, &base, "hoa.snv").await;
    c.goto(&format!("{base}/phong-trao/NTM-LD-2026/bao-cao?chi_so=0"))
        .await
        .expect("dashboard");
    c.wait()
        .for_element(Locator::Id("chart-units"))
        .await
        .expect("chart");
    let before = first_figure(&c).await;
    assert_eq!(
        dashboards::unit_cell(&c, "Xã Quảng Sơn").await,
        "—",
        "no value yet"
    );
    // A hundred communes are counted by value, not drawn one by one.
    let met_before = bar_value(&c, "= 1").await;
    shot(&c, "10-bang-so-lieu-truoc").await;
    logout(&c).await;

    // The xã's officer finds the movement and enters the 19 criteria.
    login(&c, &base, "son.xa").await;
    c.find(Locator::LinkText("Phong trào"))
        .await
        .expect("nav")
        .click()
        .await
        .expect("click");
    c.wait()
        .for_element(Locator::LinkText(
            "Lâm Đồng chung sức xây dựng nông thôn mới năm 2026",
        ))
        .await
        .expect("movement")
        .click()
        .await
        .expect("click");
    c.wait()
        .for_element(Locator::LinkText("Nhập số liệu"))
        .await
        .expect("entry link")
        .click()
        .await
        .expect("click");
    c.wait()
        .for_element(Locator::Id("entry"))
        .await
        .expect("entry form");
    let page = text(&c).await;
    assert!(
        page.contains("Nhập số liệu: Xã Quảng Sơn · Năm 2026"),
        "{page}"
    );
    let selects = c
        .find_all(Locator::Css("#entry select"))
        .await
        .expect("selects");
    assert_eq!(
        selects.len(),
        19,
        "the 19 criteria, not the computed figures"
    );
    for s in selects {
        s.select_by_value("1").await.expect("Đạt");
    }
    shot(&c, "11-nhap-so-lieu").await;
    c.find(Locator::Css("#entry button[type=submit]"))
        .await
        .expect("send")
        .click()
        .await
        .expect("click");
    c.wait()
        .for_element(Locator::Css("p.flash"))
        .await
        .expect("flash");
    assert!(text(&c).await.contains("Đã gửi 19 giá trị chờ duyệt"));
    // His own values wait for the level above: he has nothing to approve.
    c.goto(&format!("{base}/phong-trao/NTM-LD-2026/duyet"))
        .await
        .expect("approvals");
    assert!(
        text(&c)
            .await
            .contains("Không có số liệu nào chờ bạn duyệt")
    );
    logout(&c).await;

    // The province approves.
    login(&c, &base, "hoa.snv").await;
    c.goto(&format!("{base}/phong-trao/NTM-LD-2026/duyet"))
        .await
        .expect("approvals");
    shot(&c, "12-duyet-so-lieu").await;
    c.find(Locator::XPath(
        "//tr[contains(., 'Xã Quảng Sơn')]//button[@value='approve']",
    ))
    .await
    .expect("approve button")
    .click()
    .await
    .expect("click");
    c.wait()
        .for_element(Locator::Css("p.flash"))
        .await
        .expect("flash");
    assert!(text(&c).await.contains("Đã duyệt 19 giá trị"));

    // The dashboard counts one more xã, and its bar has grown.
    c.goto(&format!("{base}/phong-trao/NTM-LD-2026/bao-cao?chi_so=0"))
        .await
        .expect("dashboard");
    c.wait()
        .for_element(Locator::Id("chart-units"))
        .await
        .expect("chart");
    let after = first_figure(&c).await;
    let n = |s: &str| s.trim().parse::<i64>().expect("a count");
    assert_eq!(n(&after), n(&before) + 1, "{before} → {after}");
    assert_eq!(dashboards::unit_cell(&c, "Xã Quảng Sơn").await, "1");
    assert_eq!(n(&bar_value(&c, "= 1").await), n(&met_before) + 1);
    let page = text(&c).await;
    assert!(page.contains(&format!("Toàn tỉnh có {after}/")), "{page}");
    assert!(
        page.contains("đơn vị có số liệu"),
        "the headline says who reported: {page}"
    );
    shot(&c, "13-bang-so-lieu-sau").await;
    dashboards::in_both_maps(&c, &base, &after).await;
    c.close().await.expect("close");
    db.finish().await;
}

/// Waits until an element matching `xpath` is on the page: the page the
/// last click loads, not the one it replaces.
async fn until(c: &Client, xpath: &str) -> fantoccini::elements::Element {
    let found = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("waiting for {xpath}: {e}"));
    checks::visited(c).await;
    found
}

/// The element's text once `ready` holds, retrying while the page
/// changes under it (stale elements); the last text read after 20 s.
async fn text_when(c: &Client, xpath: &str, ready: impl Fn(&str) -> bool) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(e) = c.find(Locator::XPath(xpath)).await
            && let Ok(t) = e.text().await
        {
            if ready(&t) {
                return t;
            }
            last = t;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    last
}

async fn click(c: &Client, xpath: &str) {
    c.find(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
        .click()
        .await
        .expect("click");
}

async fn choose(c: &Client, select_xpath: &str, value: &str) {
    c.find(Locator::XPath(select_xpath))
        .await
        .unwrap_or_else(|e| panic!("{select_xpath}: {e}"))
        .select_by_value(value)
        .await
        .expect("select");
}

fn row(name: &str) -> String {
    format!("//tr[contains(@class, 'line')][.//strong[@class='name'][.=\"{name}\"]]")
}

/// Journey 3's office keeps the old paper registry: Bà Hoa downloads the
/// template, uploads a file with a mistake and reads where it is, then the
/// corrected file, checks the preview, writes it and finds the award.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_imports_old_awards_from_excel() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let good = [
        "1",
        "Cá nhân",
        "Nguyễn Thị Hoa",
        "08/03/1985",
        "",
        "BANG_KHEN_TINH",
        "Chủ tịch UBND tỉnh",
        "7001/QĐ-UBND",
        "15/06/2013",
        "",
        "",
        "",
        "",
    ];
    let mut bad = good;
    bad[5] = "Bằng khen hạng Tư";
    let bad_path = dir.path().join("so-cu-loi.xlsx");
    let good_path = dir.path().join("so-cu.xlsx");
    std::fs::write(&bad_path, crate::registry_tests::import_file(&[bad])).expect("write");
    std::fs::write(&good_path, crate::registry_tests::import_file(&[good])).expect("write");
    let c = browser(&d).await;
    login(&c, &app.base, "hoa.snv").await;
    c.goto(&format!("{}/so-khen-thuong", app.base))
        .await
        .expect("registry");
    click(&c, "//a[@id='import-link']").await;
    until(&c, "//a[@id='template-link']").await;
    let upload = |path: PathBuf| {
        let c = c.clone();
        async move {
            c.find(Locator::Css("#import-form input[type=file]"))
                .await
                .expect("file input")
                .send_keys(path.to_str().expect("path"))
                .await
                .expect("choose file");
            click(&c, "//form[@id='import-form']//button").await;
        }
    };
    upload(bad_path).await;
    until(&c, "//section[@id='problems']").await;
    let page = text(&c).await;
    assert!(page.contains("F – Hình thức khen thưởng"), "{page}");
    assert!(page.contains("không có gì được ghi"), "{page}");
    shot(&c, "39-nhap-so-loi").await;
    upload(good_path).await;
    until(&c, "//form[@id='confirm-form']").await;
    let page = text(&c).await;
    assert!(page.contains("1 dòng sẽ được ghi"), "{page}");
    assert!(page.contains("7001/QĐ-UBND"), "{page}");
    shot(&c, "40-nhap-so-xem-truoc").await;
    click(&c, "//form[@id='confirm-form']//button").await;
    until(&c, "//h1[contains(., 'Sổ khen thưởng')]").await;
    assert!(text(&c).await.contains("Đã ghi 1 dòng khen thưởng"));
    c.goto(&format!("{}/so-khen-thuong?q=nguyen+thi+hoa", app.base))
        .await
        .expect("search");
    let page = text(&c).await;
    assert!(page.contains("7001/QĐ-UBND"), "{page}");
    shot(&c, "41-nhap-so-da-ghi").await;
    c.close().await.expect("close");
    db.finish().await;
}

mod award_types_journey;
mod checks;
mod cluster_journey;
mod dashboards;
mod dossier_journey;
mod first_day;
mod registry_journey;
mod review_journey;
