//! End-to-end tests in headless Debian Chromium, driven through
//! chromedriver (WebDriver). They walk the journeys a person takes and save
//! screenshots of the main pages under `test-output/screenshots`.
//!
//! Without chromedriver the tests say they were skipped, unless
//! `THIDUA_REQUIRE_BROWSER=1` (set by the test script), when they fail.

use crate::WebConfig;
use crate::tests::start_with;
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
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000", "--lang=vi"]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", d.port))
        .await
        .expect("WebDriver session")
}

fn shots_dir() -> PathBuf {
    let dir = std::env::var("THIDUA_TEST_OUTPUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-output"))
        .join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    assert!(png.len() > 1000, "a real picture");
    std::fs::write(shots_dir().join(format!("{name}.png")), png).expect("save screenshot");
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
    assert_eq!(bar_value(&c, "Xã Quảng Sơn").await, "0");
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
    assert_eq!(bar_value(&c, "Xã Quảng Sơn").await, "1");
    assert!(text(&c).await.contains(&format!("Toàn tỉnh có {after}/")));
    shot(&c, "13-bang-so-lieu-sau").await;
    c.goto(&format!(
        "{base}/phong-trao/NTM-DNO-2021/bao-cao?ngay=2023-12-31&dia_gioi=legacy&chi_so=0"
    ))
    .await
    .expect("legacy dashboard");
    assert!(
        text(&c)
            .await
            .contains("Toàn tỉnh có 38/60 xã đạt chuẩn nông thôn mới")
    );
    shot(&c, "14-bang-so-lieu-dak-nong-2023").await;
    c.close().await.expect("close");
    db.finish().await;
}

/// Waits until an element matching `xpath` is on the page: the page the
/// last click loads, not the one it replaces.
async fn until(c: &Client, xpath: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("waiting for {xpath}: {e}"))
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

/// Journey 2, the review: Anh Y Quang opens his commune's review, thidua
/// proposes and explains, he rates one person, overrides another with a
/// reason, decides the rest, and the list is produced with its decision.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commune_reviews_its_staff_and_produces_the_list() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    let base = app.base.clone();
    let c = browser(&d).await;

    login(&c, &base, "yquang.xa").await;
    click(&c, "//header//a[.='Bình xét']").await;
    until(&c, "//form[@id='open-review']").await;
    click(&c, "//form[@id='open-review']//button").await;
    until(&c, "//table[@id='lines']").await;
    let page = text(&c).await;
    assert!(page.contains("Bình xét danh hiệu năm 2026"), "{page}");
    let badge = |name: &str| format!("{}//span[contains(@class, 'badge')]", row(name));
    let read = |xpath: String| {
        let c = c.clone();
        async move {
            c.find(Locator::XPath(&xpath))
                .await
                .expect("element")
                .text()
                .await
                .expect("text")
        }
    };
    assert_eq!(read(badge("H'Hen Niê")).await, "Đủ điều kiện");
    assert_eq!(read(badge("Lê Thị Thu")).await, "Chưa đủ điều kiện");
    // The reason is there to read, with its article.
    click(&c, &format!("{}//summary", row("Lê Thị Thu"))).await;
    let why = read(format!("{}//ul[@class='checks']", row("Lê Thị Thu"))).await;
    assert!(
        why.contains("khiển trách") && why.contains("Điều 24"),
        "{why}"
    );
    shot(&c, "20-binh-xet").await;

    // Y Moan has no rating yet: the officer rates him and re-checks.
    choose(
        &c,
        &format!("{}//select[@name='rating']", row("Y Moan Êban")),
        "HTTNV",
    )
    .await;
    click(
        &c,
        &format!("{}//button[@value='check']", row("Y Moan Êban")),
    )
    .await;
    until(
        &c,
        &format!("{}[@data-outcome='eligible']", row("Y Moan Êban")),
    )
    .await;

    // Proposing Bảo against the verdict: first without a reason, refused.
    click(
        &c,
        &format!("{}//button[@value='propose']", row("Nguyễn Văn Bảo")),
    )
    .await;
    until(
        &c,
        "//p[contains(@class, 'flash')][contains(., 'cần ghi lý do')]",
    )
    .await;
    c.find(Locator::XPath(&format!(
        "{}//input[@name='reason']",
        row("Nguyễn Văn Bảo")
    )))
    .await
    .expect("reason")
    .send_keys("Hoàn thành xuất sắc nhiệm vụ phòng chống lũ tháng 8")
    .await
    .expect("type");
    click(
        &c,
        &format!("{}//button[@value='propose']", row("Nguyễn Văn Bảo")),
    )
    .await;
    until(
        &c,
        &format!("{}[@data-decision='overridden']", row("Nguyễn Văn Bảo")),
    )
    .await;
    assert!(
        read(format!("{}//td[@class='decision']", row("Nguyễn Văn Bảo")))
            .await
            .contains("phòng chống lũ")
    );

    // The rest as the engine says: eligible proposed, others not.
    loop {
        let pending = c
            .find_all(Locator::XPath("//tr[contains(@class, 'line')][not(contains(@class, 'unit-line'))][@data-decision='pending']"))
            .await
            .expect("rows");
        let Some(r) = pending.first() else { break };
        let n = pending.len();
        let want = if r.attr("data-outcome").await.expect("attr").as_deref() == Some("eligible") {
            "propose"
        } else {
            "drop"
        };
        r.find(Locator::Css(&format!("button[value='{want}']")))
            .await
            .expect("button")
            .click()
            .await
            .expect("click");
        until(&c, &format!("//body[count(//tr[contains(@class, 'line')][not(contains(@class, 'unit-line'))][@data-decision='pending']) = {}]", n - 1)).await;
    }
    // The commune itself: rated, then judged from its members.
    let unit = "//tr[contains(@class, 'unit-line')]";
    choose(&c, &format!("{unit}//select[@name='rating']"), "HTTNV").await;
    click(&c, &format!("{unit}//button[@value='propose']")).await;
    until(&c, &format!("{unit}[@data-decision='accepted']")).await;
    assert_eq!(
        read(format!("{unit}//span[contains(@class, 'badge')]")).await,
        "Đủ điều kiện"
    );

    // The list becomes the commune's decision.
    let f = c
        .form(Locator::Id("close-review"))
        .await
        .expect("close form");
    f.set_by_name("decision_number", "45/QĐ-UBND")
        .await
        .expect("number");
    f.set_by_name("decision_date", "20/11/2026")
        .await
        .expect("date");
    f.submit().await.expect("submit");
    until(
        &c,
        "//p[@id='review-status'][contains(., 'Đã chốt danh sách')]",
    )
    .await;
    let page = text(&c).await;
    assert!(
        page.contains("Quyết định 45/QĐ-UBND ngày 20/11/2026"),
        "{page}"
    );
    assert!(
        page.contains("8 danh hiệu được ghi vào sổ khen thưởng"),
        "{page}"
    );
    shot(&c, "21-binh-xet-da-chot").await;
    c.close().await.expect("close");
    db.finish().await;
}

/// Submits the step form named by its action, after filling `fields`.
async fn take(c: &Client, action: &str, fields: &[(&str, &str)]) {
    let form = format!("//form[@data-action='{action}']");
    for (name, value) in fields {
        let input = c
            .find(Locator::XPath(&format!("{form}//input[@name='{name}']")))
            .await
            .unwrap_or_else(|e| panic!("{action}/{name}: {e}"));
        input.clear().await.expect("clear");
        input.send_keys(value).await.expect("type");
    }
    click(c, &format!("{form}//button[@type='submit']")).await;
}

async fn state_is(c: &Client, state: &str) {
    until(
        c,
        &format!("//span[@id='dossier-state'][@data-state='{state}']"),
    )
    .await;
}

/// Journey 3: a commune's dossier through the province — submission with
/// the engine's verdicts, receipt, a duplicate warning, a line returned for
/// completion, public posting with a citizen's feedback, the council's
/// vote, the leader's approval and the decision, with the timeline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dossier_travels_from_the_commune_to_a_decision() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    // The demo posts for the legal minimum; this walk happens in one day.
    db.store
        .set_procedure_settings(
            &thidua_store::Who::system("test"),
            &[(thidua_domain::dossier::POSTING.to_owned(), 0)],
        )
        .await
        .expect("posting days");
    let base = app.base.clone();
    let c = browser(&d).await;
    let today = thidua_domain::VnDate(crate::pages::today_vn()).to_string();

    // Anh Y Quang drafts the dossier.
    login(&c, &base, "yquang.xa").await;
    click(&c, "//header//a[.='Hồ sơ khen thưởng']").await;
    let f = c
        .form(Locator::Css("form#new-dossier"))
        .await
        .expect("form");
    f.set_by_name(
        "title",
        "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm 2025",
    )
    .await
    .expect("title");
    f.submit().await.expect("create");
    state_is(&c, "draft").await;
    let f = c
        .form(Locator::Css("form#header-form"))
        .await
        .expect("header");
    f.set_by_name("letter_number", "27/TTr-UBND")
        .await
        .expect("n");
    f.set_by_name("letter_date", &today).await.expect("d");
    f.set_by_name("letter_signer", "Y Quang Niê")
        .await
        .expect("s");
    f.submit().await.expect("save header");
    until(&c, "//p[@class='flash'][contains(., 'Đã ghi thông tin')]").await;
    for (name, from) in [("H'Hen Niê", "2024"), ("Nguyễn Văn Bảo", "2025")] {
        let value = c
            .find(Locator::XPath(&format!(
                "//form[@id='add-line']//option[.=\"{name}\"]"
            )))
            .await
            .expect("person option")
            .attr("value")
            .await
            .expect("attr")
            .expect("value");
        choose(
            &c,
            "//form[@id='add-line']//select[@name='subject']",
            &value,
        )
        .await;
        let f = c.form(Locator::Css("form#add-line")).await.expect("add");
        f.set_by_name("period_from", from).await.expect("from");
        f.set_by_name("period_to", "2025").await.expect("to");
        f.submit().await.expect("add line");
        until(&c, &row(name)).await;
    }
    // The engine judges each line; Bảo does not qualify.
    until(
        &c,
        &format!("{}[@data-outcome='eligible']", row("H'Hen Niê")),
    )
    .await;
    until(
        &c,
        &format!("{}[@data-outcome='not_eligible']", row("Nguyễn Văn Bảo")),
    )
    .await;
    take(&c, "submit", &[]).await;
    until(&c, "//p[@class='flash'][contains(., 'Nguyễn Văn Bảo')]").await;
    click(
        &c,
        &format!(
            "{}//details[.//form[contains(@class,'line-edit')]]/summary",
            row("Nguyễn Văn Bảo")
        ),
    )
    .await;
    let edit = format!(
        "{}//form[contains(@class,'line-edit')]",
        row("Nguyễn Văn Bảo")
    );
    c.find(Locator::XPath(&format!(
        "{edit}//input[@name='override_reason']"
    )))
    .await
    .expect("reason")
    .send_keys("Cứu 3 người trong lũ tháng 9/2025 (thành tích đột xuất)")
    .await
    .expect("type");
    click(&c, &format!("{edit}//button[not(@name)]")).await;
    until(&c, "//p[@class='flash'][.='Đã ghi.']").await;
    take(&c, "submit", &[]).await;
    state_is(&c, "submitted").await;
    shot(&c, "30-ho-so-da-gui").await;
    logout(&c).await;

    // Chị Hoa receives it from her to-do list and appraises it.
    login(&c, &base, "hoa.snv").await;
    click(&c, "//header//a[.='Việc cần làm']").await;
    click(&c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    take(&c, "receive", &[("receipt_number", "TN-2026/0415")]).await;
    state_is(&c, "received").await;
    take(&c, "start_appraisal", &[]).await;
    state_is(&c, "under_appraisal").await;
    // The verdicts with their articles, and the duplicate warning.
    let warn = c
        .find(Locator::XPath(&format!(
            "{}//td[@class='warnings']",
            row("H'Hen Niê")
        )))
        .await
        .expect("warnings")
        .text()
        .await
        .expect("text");
    assert!(warn.contains("Trùng họ tên và ngày sinh"), "{warn}");
    shot(&c, "31-ho-so-tham-dinh").await;
    // One line goes back for completion.
    let bao = c
        .find(Locator::XPath(&row("Nguyễn Văn Bảo")))
        .await
        .expect("row")
        .attr("id")
        .await
        .expect("id")
        .expect("id")
        .trim_start_matches("dong-")
        .to_owned();
    click(
        &c,
        &format!("//form[@data-action='return']//input[@name='line'][@value='{bao}']"),
    )
    .await;
    take(
        &c,
        "return",
        &[(
            "note",
            "Bổ sung xác nhận của UBND xã về thành tích cứu người",
        )],
    )
    .await;
    state_is(&c, "returned").await;
    logout(&c).await;

    // The commune completes the line and sends it back.
    login(&c, &base, "yquang.xa").await;
    click(&c, "//header//a[.='Việc cần làm']").await;
    until(
        &c,
        "//ul[@id='notices']//a[contains(., 'trả lại để bổ sung')]",
    )
    .await;
    click(&c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    until(
        &c,
        &format!("{}[@data-status='needs_completion']", row("Nguyễn Văn Bảo")),
    )
    .await;
    click(
        &c,
        &format!(
            "{}//details[.//form[contains(@class,'line-edit')]]/summary",
            row("Nguyễn Văn Bảo")
        ),
    )
    .await;
    let summary = c
        .find(Locator::XPath(&format!(
            "{edit}//textarea[@name='summary']"
        )))
        .await
        .expect("summary");
    summary
        .send_keys("Có xác nhận số 112/XN-UBND của UBND xã về việc cứu 3 người")
        .await
        .expect("type");
    click(&c, &format!("{edit}//button[not(@name)]")).await;
    until(
        &c,
        &format!("{}[@data-status='proposed']", row("Nguyễn Văn Bảo")),
    )
    .await;
    take(&c, "resubmit", &[]).await;
    state_is(&c, "under_appraisal").await;
    logout(&c).await;

    // Posted publicly; a citizen writes in, without an account.
    login(&c, &base, "hoa.snv").await;
    click(&c, "//header//a[.='Việc cần làm']").await;
    click(&c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    take(&c, "post", &[]).await;
    state_is(&c, "posted").await;
    logout(&c).await;
    c.goto(&format!("{base}/cong-khai"))
        .await
        .expect("public page");
    let public = "//tr[.//strong[.=\"H'Hen Niê\"]]".to_owned();
    until(&c, &public).await;
    click(&c, &format!("{public}//summary")).await;
    let f = c
        .find(Locator::XPath(&format!("{public}//form")))
        .await
        .expect("feedback form");
    f.find(Locator::Css("input[name='name']"))
        .await
        .expect("name")
        .send_keys("Ama Khanh")
        .await
        .expect("type");
    f.find(Locator::Css("textarea[name='body']"))
        .await
        .expect("body")
        .send_keys("Chị Hen tận tụy với bà con trong bon, tôi đồng ý đề nghị khen thưởng.")
        .await
        .expect("type");
    shot(&c, "32-cong-khai").await;
    f.find(Locator::Css("button"))
        .await
        .expect("send")
        .click()
        .await
        .expect("click");
    until(&c, "//p[@id='public-message'][contains(., 'Cảm ơn')]").await;

    // The council sits; Ông Hùng votes per subject.
    login(&c, &base, "hoa.snv").await;
    click(&c, "//header//a[.='Việc cần làm']").await;
    click(&c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    until(&c, "//ul[@id='feedback']//li[contains(., 'Ama Khanh')]").await;
    take(&c, "open_council", &[]).await;
    state_is(&c, "council_review").await;
    logout(&c).await;
    login(&c, &base, "hung.hd").await;
    click(&c, "//header//a[.='Việc cần làm']").await;
    click(&c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    click(&c, &format!("{}//button[@value='agree']", row("H'Hen Niê"))).await;
    until(&c, &format!("{}//small[@class='votes']", row("H'Hen Niê"))).await;
    click(
        &c,
        &format!("{}//button[@value='disagree']", row("Nguyễn Văn Bảo")),
    )
    .await;
    until(
        &c,
        &format!("{}//small[@class='votes']", row("Nguyễn Văn Bảo")),
    )
    .await;
    logout(&c).await;
    login(&c, &base, "hoa.snv").await;
    click(&c, "//header//a[.='Việc cần làm']").await;
    click(&c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    take(&c, "conclude_vote", &[]).await;
    state_is(&c, "pending_approval").await;
    logout(&c).await;

    // Bà Minh approves and signs decision 123/QĐ-UBND.
    login(&c, &base, "minh.ld").await;
    click(&c, "//header//a[.='Việc cần làm']").await;
    click(&c, "//table[@id='todo']//a[contains(., 'Bằng khen')]").await;
    take(&c, "approve", &[]).await;
    state_is(&c, "approved").await;
    take(
        &c,
        "issue_decision",
        &[("number", "123/QĐ-UBND"), ("date", &today)],
    )
    .await;
    state_is(&c, "decided").await;
    until(&c, &format!("{}[@data-status='awarded']", row("H'Hen Niê"))).await;
    until(
        &c,
        &format!("{}[@data-status='not_awarded']", row("Nguyễn Văn Bảo")),
    )
    .await;
    let page = text(&c).await;
    assert!(page.contains("123/QĐ-UBND ngày"), "{page}");
    let timeline = c
        .find(Locator::Css("ol#timeline"))
        .await
        .expect("timeline")
        .text()
        .await
        .expect("text");
    for step in [
        "Gửi hồ sơ",
        "Tiếp nhận",
        "Trả lại để bổ sung",
        "Gửi lại sau bổ sung",
        "Công khai",
        "Nhận ý kiến của nhân dân",
        "Đưa ra Hội đồng",
        "Phê duyệt",
        "Ban hành quyết định",
    ] {
        assert!(timeline.contains(step), "{step} in {timeline}");
    }
    shot(&c, "33-ho-so-quyet-dinh").await;
    // The timeline itself, as an element picture.
    let png = c
        .find(Locator::Css("ol#timeline"))
        .await
        .expect("timeline")
        .screenshot()
        .await
        .expect("timeline picture");
    assert!(png.len() > 1000, "a real picture");
    std::fs::write(shots_dir().join("34-ho-so-dong-thoi-gian.png"), png).expect("save");
    // The award is in H'Hen's registry.
    let hen = db
        .store
        .search_people("h'hen nie", 5)
        .await
        .expect("search");
    let mut found = false;
    for p in hen {
        let reg = db
            .store
            .registry(thidua_store::SubjectRef::Person(p.id))
            .await
            .expect("registry");
        found |= reg.awards.iter().any(|a| {
            a.code == "BANG_KHEN_TINH" && a.decision_number.as_deref() == Some("123/QĐ-UBND")
        });
    }
    assert!(found, "the award entered the registry");

    // The decision prints: its PDF and certificates, fetched with the
    // browser's own session, read back through pdftotext.
    click(&c, "//p[@id='decision-links']/a[.='Xem quyết định']").await;
    until(&c, "//a[@id='pdf']").await;
    shot(&c, "35-quyet-dinh").await;
    let pdf = download(&c, "//a[@id='pdf']").await;
    let words = pdf_words(&pdf);
    for must in [
        "Số: 123/QĐ-UBND",
        "QUYẾT ĐỊNH",
        "H'Hen Niê",
        "Phạm Thị Minh",
        "KT. CHỦ TỊCH",
    ] {
        assert!(words.contains(must), "«{must}» in {words}");
    }
    let certs = pdf_words(&download(&c, "//a[@id='certificates']").await);
    assert!(
        certs.contains("BẰNG KHEN") && certs.contains("H'Hen Niê"),
        "{certs}"
    );
    let docx = download(&c, "//a[@id='docx']").await;
    assert!(docx.starts_with(b"PK"), "a zip");

    // Journey 5: the registry finds people without diacritics.
    click(&c, "//header//a[.='Sổ khen thưởng']").await;
    let q = until(&c, "//input[@name='q']").await;
    q.send_keys("nguyen thi").await.expect("type");
    click(&c, "//form[@id='registry-filters']//button").await;
    until(&c, "//p[@id='result-count']").await;
    let found = text(&c).await;
    assert!(
        found.contains("Nguyễn Thị Hoa") && found.contains("1630/QĐ-UBND"),
        "{found}"
    );
    shot(&c, "36-so-khen-thuong-tim").await;
    click(&c, "//div[@id='results']//a[.='Nguyễn Thị Hoa']").await;
    let stints = until(&c, "//table[@id='stints']")
        .await
        .text()
        .await
        .expect("text");
    // Two communes of Đắk Nông, then the ward of Lâm Đồng they became.
    assert!(
        stints.matches("Xã ").count() + stints.matches("Phường ").count() >= 3,
        "{stints}"
    );
    let history = text(&c).await;
    for n in ["1630/QĐ-UBND", "1875/QĐ-UBND", "45/QĐ-UBND"] {
        assert!(history.contains(n), "{n} in {history}");
    }
    shot(&c, "37-so-khen-thuong-ca-nhan").await;
    // The award just decided is in the registry too, by a typo'd name.
    c.goto(&format!("{base}/so-khen-thuong?q=hhen+nei"))
        .await
        .expect("search");
    let found = until(&c, "//div[@id='results']")
        .await
        .text()
        .await
        .expect("text");
    assert!(found.contains("123/QĐ-UBND"), "{found}");

    // Statistics: the flags of former Đắk Nông, in its own boundaries.
    click(&c, "//header//a[.='Thống kê']").await;
    let f = c
        .form(Locator::Css("form#stats-filters"))
        .await
        .expect("form");
    f.set_by_name("don_vi", "67").await.expect("unit");
    f.set_by_name("cap", "Thủ tướng").await.expect("issuer");
    f.set_by_name("ranh_gioi", "legacy")
        .await
        .expect("boundaries");
    f.submit().await.expect("submit");
    // The old page's sentence may be read (or go stale) before the new
    // page arrives: wait for the filtered one.
    let sentence = text_when(&c, "//p[@id='sentence']", |t| t.contains("Thủ tướng")).await;
    assert!(
        sentence.contains("đã có 5 tập thể được Thủ tướng tặng"),
        "{sentence}"
    );
    assert!(
        c.find(Locator::Css("svg.chart rect.bar")).await.is_ok(),
        "a chart"
    );
    shot(&c, "38-thong-ke").await;
    c.close().await.ok();
}

/// GETs a link's target with the browser's session cookie.
async fn download(c: &Client, xpath: &str) -> Vec<u8> {
    let href = c
        .find(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
        .prop("href")
        .await
        .expect("href")
        .expect("a link");
    let cookie = c
        .get_named_cookie(crate::session::SESSION_COOKIE)
        .await
        .expect("session cookie");
    let r = reqwest::Client::new()
        .get(&href)
        .header("cookie", format!("{}={}", cookie.name(), cookie.value()))
        .send()
        .await
        .expect("download");
    assert!(r.status().is_success(), "{href}: {}", r.status());
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("attachment"),
        "served as a file"
    );
    r.bytes().await.expect("body").to_vec()
}

/// The words of a PDF, as poppler's pdftotext reads them.
fn pdf_words(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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

/// Types into a text input of the scoring form, replacing what was there.
async fn fill(c: &Client, name: &str, value: &str) {
    let input = c
        .find(Locator::Css(&format!("#score-form input[name='{name}']")))
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    input.clear().await.expect("clear");
    input.send_keys(value).await.expect("type");
}

async fn tick(c: &Client, name: &str) {
    let b = c
        .find(Locator::Css(&format!("#score-form input[name='{name}']")))
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    if b.prop("checked").await.expect("checked").as_deref() != Some("true") {
        b.click().await.expect("tick");
    }
}

async fn submit_score(c: &Client) {
    click(c, "//form[@id='score-form']//button[@type='submit']").await;
}

/// Journey 4: Chị Lan self-scores her department with evidence, Sở Y tế
/// self-scores, Chị Lan as the head cross-scores Sở Y tế, the office
/// gives final scores, finalises with the vote's minutes, the ranking
/// shows the leader, and the flag proposal becomes a dossier.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_block_scores_its_year_and_proposes_its_leader_for_the_flag() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let app = start_with(&db.store, WebConfig::default()).await;
    let stc = db
        .store
        .resolve_code("CB.STC", None, time::macros::date!(2026 - 06 - 01))
        .await
        .expect("q")
        .expect("CB.STC")
        .id;
    // The year's collective rating, which the flag requires.
    db.store
        .set_unit_rating(
            &thidua_store::Who::system("test"),
            stc,
            2026,
            thidua_domain::eligibility::Rating::CompletedExcellently,
        )
        .await
        .expect("rating");
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("giai-ngan-2026.pdf");
    std::fs::write(
        &pdf,
        thidua_app::dossiers::sample_pdf("giai ngan von dau tu cong 2026"),
    )
    .expect("pdf");
    let block = format!("{}/khoi-cum?nam=2026", app.base);
    let c = browser(&d).await;

    // Chị Lan self-scores Sở Tài chính; a bonus without evidence is refused
    // and the form comes back as she typed it.
    login(&c, &app.base, "lan.stc").await;
    c.goto(&block).await.expect("blocks");
    click(&c, "//table[@id='clusters']//a").await;
    until(&c, "//section[@id='tasks']").await;
    click(&c, "//section[@id='tasks']//a[starts-with(., 'Tự chấm')]").await;
    until(&c, "//form[@id='score-form']").await;
    choose(&c, "//select[@name='v_I.1']", "Hoàn thành xuất sắc").await;
    fill(&c, "ev_I.1", "Báo cáo 25/BC-STC").await;
    fill(&c, "v_I.2", "98,5").await;
    fill(&c, "ev_I.2", "").await;
    c.find(Locator::Css("#score-form input[name='f_I.2']"))
        .await
        .expect("file")
        .send_keys(pdf.to_str().expect("path"))
        .await
        .expect("choose file");
    choose(&c, "//select[@name='v_I.3']", "Hoàn thành xuất sắc").await;
    tick(&c, "v_II.1").await;
    choose(&c, "//select[@name='v_II.2']", "Hoàn thành xuất sắc").await;
    tick(&c, "v_III.1").await;
    fill(&c, "v_IV.1", "2").await;
    submit_score(&c).await;
    until(&c, "//p[@id='score-error']").await;
    let page = text(&c).await;
    assert!(page.contains("IV.1"), "{page}");
    let kept = c
        .find(Locator::Css("#score-form input[name='v_I.2']"))
        .await
        .expect("I.2")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some("98,5"), "nothing typed is lost");
    shot(&c, "42-khoi-tu-cham-loi").await;
    fill(&c, "ev_IV.1", "Quyết định 88/QĐ-UBND công nhận mô hình").await;
    c.find(Locator::Css("#score-form input[name='f_I.2']"))
        .await
        .expect("file")
        .send_keys(pdf.to_str().expect("path"))
        .await
        .expect("choose file again");
    submit_score(&c).await;
    until(&c, "//section[@id='own']").await;
    let page = text(&c).await;
    // 40 + 19,7 + 10 + 10 + 10 + 10 + 2
    assert!(page.contains("101,7 điểm"), "{page}");
    assert!(
        page.contains("Xếp hạng được công bố khi khối, cụm chốt điểm"),
        "{page}"
    );
    logout(&c).await;

    // Chị Mai self-scores Sở Y tế; she may not score anyone else.
    login(&c, &app.base, "mai.syt").await;
    c.goto(&block).await.expect("blocks");
    click(&c, "//table[@id='clusters']//a").await;
    until(&c, "//section[@id='tasks']").await;
    let tasks = c
        .find_all(Locator::XPath("//section[@id='tasks']//a"))
        .await
        .expect("tasks");
    assert_eq!(tasks.len(), 1, "a plain member scores only itself");
    tasks[0].click().await.expect("open");
    until(&c, "//form[@id='score-form']").await;
    choose(&c, "//select[@name='v_I.1']", "Hoàn thành tốt").await;
    fill(&c, "ev_I.1", "Báo cáo 31/BC-SYT").await;
    fill(&c, "v_I.2", "90").await;
    fill(&c, "ev_I.2", "Báo cáo giải ngân 12/BC-SYT").await;
    choose(&c, "//select[@name='v_I.3']", "Hoàn thành xuất sắc").await;
    tick(&c, "v_II.1").await;
    choose(&c, "//select[@name='v_II.2']", "Hoàn thành tốt").await;
    tick(&c, "v_III.1").await;
    submit_score(&c).await;
    until(&c, "//section[@id='own']").await;
    assert!(text(&c).await.contains("Đã ghi «Tự chấm» của Sở Y tế"));
    logout(&c).await;

    // The head cross-scores Sở Y tế, starting from its self-score: II.2
    // down a level.
    login(&c, &app.base, "lan.stc").await;
    c.goto(&block).await.expect("blocks");
    click(&c, "//table[@id='clusters']//a").await;
    click(
        &c,
        "//section[@id='tasks']//a[starts-with(., 'Trưởng khối, cụm chấm') and contains(., 'Y tế')]",
    )
    .await;
    until(&c, "//form[@id='score-form']").await;
    let page = text(&c).await;
    assert!(
        page.contains("Tự chấm: 32"),
        "the self-score beside: {page}"
    );
    choose(&c, "//select[@name='v_II.2']", "Hoàn thành").await;
    submit_score(&c).await;
    until(&c, "//section[@id='own']").await;
    // 32 + 18 + 10 + 10 + 5 + 10
    assert!(text(&c).await.contains("Sở Y tế tỉnh Cao Bằng: 85 điểm"));
    logout(&c).await;

    // The office gives every final score (starting from the latest stage),
    // then finalises with the minutes of the block's vote.
    login(&c, &app.base, "admin").await;
    c.goto(&block).await.expect("blocks");
    click(&c, "//table[@id='clusters']//a").await;
    until(&c, "//section[@id='tasks']").await;
    let detail = c.current_url().await.expect("url").to_string();
    for member in ["Tài chính", "Nội vụ", "Y tế", "Giáo dục", "Nông nghiệp"] {
        c.goto(&detail).await.expect("block");
        click(
            &c,
            &format!(
                "//section[@id='tasks']//a[starts-with(., 'Điểm chốt') and contains(., '{member}')]"
            ),
        )
        .await;
        until(&c, "//form[@id='score-form']").await;
        if member == "Tài chính" {
            let page = text(&c).await;
            assert!(
                page.contains("giai-ngan-2026.pdf"),
                "the evidence file: {page}"
            );
            shot(&c, "43-khoi-diem-chot").await;
        }
        if ["Nội vụ", "Giáo dục", "Nông nghiệp"].contains(&member) {
            choose(&c, "//select[@name='v_I.1']", "Hoàn thành tốt").await;
            fill(&c, "ev_I.1", "Báo cáo tổng kết năm 2026").await;
            tick(&c, "v_II.1").await;
            tick(&c, "v_III.1").await;
        }
        submit_score(&c).await;
        until(&c, "//section[@id='ranking']").await;
    }
    let f = c.form(Locator::Css("#finalise")).await.expect("finalise");
    f.set_by_name(
        "bien_ban",
        "Biên bản họp bình xét số 05/BB-KTH ngày 15/12/2026",
    )
    .await
    .expect("minutes");
    f.submit().await.expect("finalise");
    until(&c, "//p[@id='proposed']").await;
    let page = text(&c).await;
    assert!(page.contains("Đã chốt điểm"), "{page}");
    assert!(
        page.contains("Dẫn đầu, đề nghị tặng Cờ thi đua của UBND tỉnh: Sở Tài chính tỉnh Cao Bằng"),
        "{page}"
    );
    shot(&c, "44-khoi-xep-hang").await;
    click(&c, "//form[@id='propose-flag']//button").await;
    until(&c, "//h1[contains(., 'Cờ thi đua của UBND tỉnh năm 2026')]").await;
    let page = text(&c).await;
    assert!(
        page.contains("Đã lập hồ sơ đề nghị tặng Cờ thi đua"),
        "{page}"
    );
    assert!(page.contains("Sở Tài chính tỉnh Cao Bằng"), "{page}");
    assert!(page.contains("hạng 1/5 với 101,7 điểm"), "{page}");
    shot(&c, "45-khoi-ho-so-co").await;
    logout(&c).await;

    // Chị Lan now sees the final ranking and her unit's dossier.
    login(&c, &app.base, "lan.stc").await;
    c.goto(&block).await.expect("blocks");
    click(&c, "//table[@id='clusters']//a").await;
    until(&c, "//ul[@id='proposals']").await;
    let page = text(&c).await;
    assert!(page.contains("Xếp hạng"), "{page}");
    assert!(!page.contains("Xếp hạng được công bố khi"), "{page}");
    click(&c, "//ul[@id='proposals']//a").await;
    until(&c, "//h1[contains(., 'Cờ thi đua')]").await;
    c.close().await.expect("close");
}
