//! Databases and servers for the operations tests: an empty database on
//! either engine, the server on a free port, and the smoke test a province
//! officer's first minutes make of it.

use std::process::{Child, Command, Stdio};
use std::time::Duration;
use thidua_store::Engine;

/// A database that does not exist yet (SQLite) or holds nothing
/// (PostgreSQL): what `restore` and `migrate-data` write into.
pub struct Empty {
    pub url: String,
    admin: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl Empty {
    pub async fn new(engine: Engine) -> Empty {
        let dir = tempfile::tempdir().expect("tempdir");
        match engine {
            Engine::Sqlite => Empty {
                url: format!("sqlite://{}", dir.path().join("empty.db").display()),
                admin: None,
                _dir: dir,
            },
            Engine::Postgres => {
                let admin = std::env::var("THIDUA_TEST_PG").expect("THIDUA_TEST_PG");
                let name = format!(
                    "thidua_ops_{}_{}",
                    std::process::id(),
                    dir.path()
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or("x")
                        .to_lowercase()
                        .replace(|c: char| !c.is_ascii_alphanumeric(), "")
                );
                let pool = sqlx_admin(&admin).await;
                sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
                    .execute(&pool)
                    .await
                    .expect("create database");
                pool.close().await;
                let (base, _) = admin.rsplit_once('/').expect("URL");
                Empty {
                    url: format!("{base}/{name}"),
                    admin: Some((admin, name)),
                    _dir: dir,
                }
            }
        }
    }

    pub async fn drop_db(self) {
        if let Some((admin, name)) = self.admin {
            let pool = sqlx_admin(&admin).await;
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "drop database if exists {name} with (force)"
            )))
            .execute(&pool)
            .await;
            pool.close().await;
        }
    }
}

pub async fn sqlx_admin(url: &str) -> sqlx::PgPool {
    sqlx::PgPool::connect(url).await.expect("admin connection")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The server on `db` (with `extra` arguments to `serve`), ready, and a
/// client with a cookie jar.
pub async fn start(db: &str, extra: &[&str]) -> (Server, String, reqwest::Client) {
    let port = free_port();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_thidua"))
            .args(["--db", db, "serve", "--addr", &format!("127.0.0.1:{port}")])
            .args(extra)
            .env_remove("THIDUA_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .expect("client");
    let mut up = false;
    for _ in 0..120 {
        if c.get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(up, "the server on {db} is ready");
    (server, base, c)
}

/// The CSRF token of a form page.
pub fn csrf_of(page: &str) -> String {
    page.split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("csrf")
        .to_owned()
}

/// Signs in as a demo account; returns the home page.
pub async fn sign_in(c: &reqwest::Client, base: &str, login: &str) -> String {
    let page = c
        .get(format!("{base}/dang-nhap"))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("text");
    let csrf = csrf_of(&page);
    c.post(format!("{base}/dang-nhap"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("login", login),
            ("password", "thidua-demo-2026"),
        ])
        .send()
        .await
        .expect("login")
        .text()
        .await
        .expect("home")
}

/// The server on `db` answers what a province officer does first: signs
/// in, opens a dashboard, searches the registry, adds a person (a write
/// after the copied ids), and the public page.
pub async fn smoke(db: &str) {
    let (_server, base, c) = start(db, &[]).await;
    let home = sign_in(&c, &base, "hoa.snv").await;
    assert!(home.contains("Nguyễn Thị Hoa"), "signed in: {home}");
    let get = |path: &str| {
        let (c, url) = (c.clone(), format!("{base}{path}"));
        async move {
            let r = c.get(&url).send().await.expect("GET");
            assert!(r.status().is_success(), "{url}: {}", r.status());
            r.text().await.expect("text")
        }
    };
    assert!(
        get("/phong-trao/NTM-DNO-2021/bao-cao")
            .await
            .contains("16,42")
    );
    assert!(
        get("/so-khen-thuong?q=nguyen+thi+hoa")
            .await
            .contains("1630/QĐ-UBND")
    );
    let form = get("/ca-nhan/moi").await;
    let csrf = csrf_of(&form);
    let r = c
        .post(format!("{base}/ca-nhan/moi"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("name", "Phạm Thị Kiểm Thử"),
            ("birth", "02/03/1990"),
            ("sex", "nữ"),
            ("unit", "24615"),
            ("from", "01/01/2026"),
        ])
        .send()
        .await
        .expect("add person");
    let status = r.status();
    let added = r.text().await.expect("text");
    assert!(
        status.is_success()
            && !added.contains("field-error")
            && added.contains("Phạm Thị Kiểm Thử"),
        "{status}: {added}"
    );
    get("/cong-khai").await;
}
