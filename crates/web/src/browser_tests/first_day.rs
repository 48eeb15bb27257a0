//! A province's first day on a fresh installation, without the demo: the
//! emulation office enters its own world through the pages.

use super::*;
use thidua_domain::policy::Role;
use thidua_sheets::{Cell, Sheet};
use thidua_store::Who;

/// What an installation has before anyone signs in: the official units,
/// the catalogue and the accounts `thidua user add` would create.
async fn fresh_installation(store: &thidua_store::Store) -> String {
    let who = Who::system("install");
    thidua_app::admin_units::import(
        store,
        &who,
        &thidua_app::admin_units::embedded_files(),
        &|_| {},
    )
    .await
    .expect("official units");
    thidua_app::eligibility::ensure_catalogue(store, &who)
        .await
        .expect("catalogue");
    let today = crate::pages::today_vn();
    let cao_bang = store
        .resolve_code("04", None, today)
        .await
        .expect("q")
        .expect("Cao Bằng")
        .id;
    thidua_app::auth::create_user(
        store,
        &who,
        "tdkt.cb",
        "Hoàng Thị Thu",
        Role::ProvinceOfficer,
        Some(cao_bang),
        DEMO_PASSWORD,
    )
    .await
    .expect("office account");
    let addr = crate::spawn(store.clone(), WebConfig::default())
        .await
        .expect("spawn");
    format!("http://{addr}")
}

async fn fill(c: &Client, form: &str, name: &str, value: &str) {
    let input = c
        .find(Locator::Css(&format!("#{form} [name='{name}']")))
        .await
        .unwrap_or_else(|e| panic!("{form} {name}: {e}"));
    input.clear().await.expect("clear");
    input.send_keys(value).await.expect("type");
}

async fn add_department(c: &Client, base: &str, province: i64, code: &str, name: &str) {
    c.goto(&format!("{base}/to-chuc/{province}/them"))
        .await
        .expect("form");
    let f = c.form(Locator::Css("form.stack")).await.expect("form");
    f.set_by_name("code", code).await.expect("code");
    f.set_by_name("name", name).await.expect("name");
    f.set_by_name("valid_from", "01/01/2008")
        .await
        .expect("valid from");
    c.find(Locator::Css("select[name=kind]"))
        .await
        .expect("kind")
        .select_by_value("state_agency")
        .await
        .expect("kind");
    f.submit().await.expect("submit");
    c.wait()
        .for_element(Locator::Css("p.flash"))
        .await
        .expect("added");
}

async fn add_person(c: &Client, base: &str, name: &str, birth: &str, sex: &str) {
    c.goto(&format!("{base}/ca-nhan/moi")).await.expect("form");
    fill(c, "person-form", "name", name).await;
    fill(c, "person-form", "birth", birth).await;
    choose(c, "//form[@id='person-form']//select[@name='sex']", sex).await;
    fill(c, "person-form", "unit", "CB.SKHCN").await;
    fill(c, "person-form", "from", "01/03/2020").await;
    click(c, "//form[@id='person-form']//button[@type='submit']").await;
    let page = text_when(c, "//main", |t| {
        t.contains("Quá trình công tác") || t.contains("Chưa lưu")
    })
    .await;
    assert!(page.contains("Quá trình công tác"), "{page}");
}

fn staff_list() -> Vec<u8> {
    let family = ["Nông", "Hoàng", "Lương", "Triệu", "Bế"];
    let given = [
        "An", "Bình", "Chi", "Dung", "Giang", "Hà", "Khoa", "Linh", "Minh", "Nga",
    ];
    let rows = (0..50)
        .map(|i| {
            vec![
                Cell::Number((i + 1) as f64),
                Cell::from(format!("{} Văn {}", family[i % 5], given[i / 5]).as_str()),
                Cell::from(format!("{:02}/04/19{}", i % 28 + 1, 70 + i % 25).as_str()),
                Cell::from(if i.is_multiple_of(2) { "Nữ" } else { "Nam" }),
                Cell::from("Tày"),
                Cell::Empty,
                Cell::from("Viên chức"),
                Cell::from("Chuyên viên"),
                Cell::from("CB.SKHCN"),
                Cell::from("01/01/2021"),
                Cell::Empty,
            ]
        })
        .collect();
    thidua_sheets::write(&[Sheet {
        name: "Danh sách cán bộ".into(),
        header: [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Dân tộc",
            "Số định danh",
            "Đối tượng",
            "Chức vụ",
            "Mã đơn vị",
            "Từ ngày",
            "Mã cá nhân",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    }])
    .expect("xlsx")
}

async fn upload(c: &Client, form: &str, path: &std::path::Path) {
    c.find(Locator::Css(&format!("#{form} input[type=file]")))
        .await
        .expect("file input")
        .send_keys(path.to_str().expect("path"))
        .await
        .expect("choose file");
    click(c, &format!("//form[@id='{form}']//button")).await;
}

async fn create_block(c: &Client, base: &str) {
    c.goto(&format!("{base}/khoi-cum/moi")).await.expect("form");
    fill(c, "cluster-form", "code", "CB-K9").await;
    fill(c, "cluster-form", "name", "Khối các sở kinh tế – kỹ thuật").await;
    fill(
        c,
        "cluster-form",
        "regulation",
        "Quyết định số 589/QĐ-UBND ngày 25/5/2018",
    )
    .await;
    let members = c
        .find_all(Locator::Css("#member-rows input[name=member]"))
        .await
        .expect("rows");
    let roles = c
        .find_all(Locator::Css("#member-rows select[name=role]"))
        .await
        .expect("roles");
    for (i, (code, role)) in [
        ("CB.SKHCN", "head"),
        ("CB.SXD", "deputy"),
        ("CB.SCT", "member"),
    ]
    .into_iter()
    .enumerate()
    {
        members[i].send_keys(code).await.expect("member");
        roles[i].select_by_value(role).await.expect("role");
    }
    click(c, "//form[@id='cluster-form']//button[@type='submit']").await;
    until(c, "//ul[@id='members']").await;
}

async fn launch_movement_with_tasks(c: &Client, base: &str) {
    c.goto(&format!("{base}/phong-trao/moi"))
        .await
        .expect("form");
    let f = c.form(Locator::Css("form.stack")).await.expect("form");
    f.set_by_name("code", "CDS-CB-2026").await.expect("code");
    f.set_by_name("name", "Thi đua đẩy mạnh chuyển đổi số năm 2026")
        .await
        .expect("name");
    f.set_by_name("authority", "04").await.expect("authority");
    f.set_by_name("start", "01/01/2026").await.expect("start");
    f.set_by_name("end", "31/12/2026").await.expect("end");
    f.submit().await.expect("submit");
    until(c, "//form[@id='assign-task']").await;
    for (unit, task) in [
        (
            "CB.SKHCN",
            "Hướng dẫn các đơn vị số hóa hồ sơ thi đua, khen thưởng",
        ),
        ("CB.SXD", "Báo cáo kết quả chuyển đổi số ngành xây dựng"),
    ] {
        fill(c, "assign-task", "unit", unit).await;
        fill(c, "assign-task", "content", task).await;
        fill(c, "assign-task", "due", "30/11/2026").await;
        click(c, "//form[@id='assign-task']//button").await;
        until(
            c,
            &format!("//table[@id='tasks']//td[contains(., '{task}')]"),
        )
        .await;
    }
    // Launched: the bodies see it, and their tasks.
    click(
        c,
        "//form[.//input[@name='status'][@value='launched']]//button",
    )
    .await;
    until(c, "//p[contains(@class, 'flash')]").await;
}

/// The province's emulation office on a fresh installation: adds its
/// departments, two people by hand and fifty from Excel, a block of three,
/// a movement with two tasks (which the department sees on its home
/// page), moves a person, and imports an old award of someone not yet
/// listed, who is added after the preview.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_province_enters_its_own_world_on_a_fresh_installation() {
    let Some(d) = driver().await else { return };
    let db = TestDb::fresh(Engine::Sqlite).await.expect("db");
    let base = fresh_installation(&db.store).await;
    let today = crate::pages::today_vn();
    let province = db
        .store
        .resolve_code("04", None, today)
        .await
        .expect("q")
        .expect("04")
        .id
        .0;
    assert_eq!(db.store.count_people().await.expect("count"), 0);
    let c = browser(&d).await;
    login(&c, &base, "tdkt.cb").await;
    for (code, name) in [
        ("CB.SKHCN", "Sở Khoa học và Công nghệ"),
        ("CB.SXD", "Sở Xây dựng"),
        ("CB.SCT", "Sở Công Thương"),
    ] {
        add_department(&c, &base, province, code, name).await;
    }
    shot(&c, "60-ngay-dau-don-vi").await;

    people_by_hand_and_from_excel(&c, &base, &db.store).await;
    create_block(&c, &base).await;
    let page = text(&c).await;
    assert!(page.contains("589/QĐ-UBND"), "{page}");
    assert!(
        page.contains("Sở Khoa học và Công nghệ — Trưởng khối"),
        "{page}"
    );
    shot(&c, "63-ngay-dau-khoi").await;

    launch_movement_with_tasks(&c, &base).await;
    shot(&c, "64-ngay-dau-nhiem-vu").await;

    moves_and_old_awards(&c, &base, &db.store).await;
    the_department_sees_its_task(&c, &base, &db.store).await;
    c.close().await.expect("close");
    db.finish().await;
}

/// Two people by hand (a third, the same again, refused) and fifty from Excel.
async fn people_by_hand_and_from_excel(c: &Client, base: &str, store: &thidua_store::Store) {
    add_person(c, base, "Nông Thị Huyền", "12/03/1984", "nữ").await;
    add_person(c, base, "Bế Văn Toàn", "05/11/1979", "nam").await;
    // The same person again is refused, with the field said.
    c.goto(&format!("{base}/ca-nhan/moi")).await.expect("form");
    fill(c, "person-form", "name", "Nông Thị Huyền").await;
    fill(c, "person-form", "birth", "12/03/1984").await;
    choose(c, "//form[@id='person-form']//select[@name='sex']", "nữ").await;
    fill(c, "person-form", "unit", "CB.SKHCN").await;
    click(c, "//form[@id='person-form']//button[@type='submit']").await;
    until(c, "//div[@id='form-errors']").await;
    assert!(text(c).await.contains("không thêm lần nữa"));
    shot(c, "61-ngay-dau-trung-nguoi").await;

    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("danh-sach-skhcn.xlsx");
    std::fs::write(&list, staff_list()).expect("write");
    c.goto(&format!("{base}/ca-nhan/nhap"))
        .await
        .expect("import");
    upload(c, "staff-upload", &list).await;
    until(c, "//form[@id='staff-confirm']").await;
    assert!(text(c).await.contains("50 người mới"));
    shot(c, "62-ngay-dau-danh-sach").await;
    click(c, "//form[@id='staff-confirm']//button").await;
    until(c, "//p[contains(@class, 'flash')]").await;
    assert!(text(c).await.contains("50 người mới"));
    assert_eq!(store.count_people().await.expect("count"), 52);
}

/// A transfer, and an old award of someone not yet listed.
async fn moves_and_old_awards(c: &Client, base: &str, store: &thidua_store::Store) {
    // A person moves to Sở Xây dựng.
    c.goto(&format!("{base}/ca-nhan?q=be+van+toan"))
        .await
        .expect("search");
    click(c, "//a[.='Bế Văn Toàn']").await;
    until(c, "//section[@id='transfer']").await;
    fill(c, "transfer", "to", "CB.SXD").await;
    fill(c, "transfer", "date", "01/06/2026").await;
    click(c, "//section[@id='transfer']//button").await;
    let rows = text_when(c, "//table[@id='memberships']", |t| {
        t.contains("Chuyển công tác")
    })
    .await;
    assert!(rows.contains("Sở Xây dựng"), "{rows}");
    shot(c, "65-ngay-dau-chuyen-cong-tac").await;

    // An old award of someone not yet listed: the preview says the person
    // will be added.
    let award = [
        "1",
        "Cá nhân",
        "Lục Văn Cũ",
        "20/07/1968",
        "CB.SKHCN",
        "BANG_KHEN_TINH",
        "Chủ tịch UBND tỉnh",
        "1520/QĐ-UBND",
        "10/12/2019",
        "",
        "",
        "",
        "",
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("so-cu.xlsx");
    std::fs::write(&old, crate::registry_tests::import_file(&[award])).expect("write");
    c.goto(&format!("{base}/so-khen-thuong/nhap"))
        .await
        .expect("import");
    upload(c, "import-form", &old).await;
    until(c, "//p[@id='new-people']").await;
    assert!(text(c).await.contains("Lục Văn Cũ (người mới)"));
    shot(c, "66-ngay-dau-nhap-so").await;
    click(c, "//form[@id='confirm-form']//button").await;
    until(c, "//h1[contains(., 'Sổ khen thưởng')]").await;
    assert_eq!(
        store
            .search_people("luc van cu", 5)
            .await
            .expect("search")
            .len(),
        1
    );
}

/// The department's officer, given an account, sees its own task at home
/// and reports on it.
async fn the_department_sees_its_task(c: &Client, base: &str, store: &thidua_store::Store) {
    // The department's officer, given an account, sees its task at home.
    let today = crate::pages::today_vn();
    let skhcn = store
        .resolve_code("CB.SKHCN", None, today)
        .await
        .expect("q")
        .expect("CB.SKHCN")
        .id;
    thidua_app::auth::create_user(
        store,
        &Who::system("admin"),
        "vp.skhcn",
        "Triệu Văn Nam",
        Role::UnitOfficer,
        Some(skhcn),
        DEMO_PASSWORD,
    )
    .await
    .expect("account");
    logout(c).await;
    login(c, base, "vp.skhcn").await;
    let todo = text_when(c, "//ul[@id='todo']", |t| t.contains("Nhiệm vụ")).await;
    assert!(
        todo.contains("Hướng dẫn các đơn vị số hóa hồ sơ thi đua, khen thưởng"),
        "{todo}"
    );
    assert!(
        !todo.contains("ngành xây dựng"),
        "only its own task: {todo}"
    );
    shot(c, "67-ngay-dau-viec-cua-so").await;
    // Reporting on it closes it on the movement's page.
    click(c, "//ul[@id='todo']//li[contains(., 'Nhiệm vụ')]//a").await;
    until(c, "//table[@id='tasks']//textarea[@name='report']").await;
    c.find(Locator::Css("#tasks textarea[name=report]"))
        .await
        .expect("report")
        .send_keys("Đã ban hành hướng dẫn số hóa hồ sơ")
        .await
        .expect("type");
    click(c, "//table[@id='tasks']//button").await;
    until(c, "//td[contains(., 'Đã ban hành hướng dẫn số hóa hồ sơ')]").await;
}
