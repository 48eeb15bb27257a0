//! The database goes away mid-run and comes back: meanwhile people get a
//! Vietnamese 503 page (the API a typed 503), nobody is sent to the login
//! page, and the server recovers by itself. The outage is real at the
//! network level: the app reaches PostgreSQL through a TCP relay that this
//! test cuts (every open connection reset, new ones refused) and restores,
//! so the shared test cluster keeps serving the other tests.
//! `scripts/db-outage.sh` does the same by stopping a cluster outright.

use crate::WebConfig;
use crate::tests::start_with;
use reqwest::StatusCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use thidua_store::testkit::TestDb;
use thidua_store::{Engine, Store};
use tokio::net::{TcpListener, TcpStream};

/// A relay to `target` that can be cut and restored.
struct Relay {
    port: u16,
    up: Arc<AtomicBool>,
    /// Bumped on each cut: every open connection ends at once.
    generation: tokio::sync::watch::Sender<u64>,
}

impl Relay {
    async fn start(target: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let up = Arc::new(AtomicBool::new(true));
        let (generation, _) = tokio::sync::watch::channel(0u64);
        let (up2, generation2) = (up.clone(), generation.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let mut cuts = generation2.subscribe();
                let target = target.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&target).await else {
                        return;
                    };
                    // Both sockets close when either side ends or on a cut.
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cuts.changed() => {}
                    }
                });
            }
        });
        Relay {
            port,
            up,
            generation,
        }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.generation.send_modify(|g| *g += 1);
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_goes_away_and_comes_back() {
    let Some(db) = TestDb::fresh(Engine::Postgres).await else {
        return;
    };
    // postgres://user@host:port/name → the same through the relay.
    let (scheme_user, rest) = db.url.split_once('@').expect("url");
    let (host_port, name) = rest.split_once('/').expect("url");
    let relay = Relay::start(host_port.to_owned()).await;
    let url = format!("{scheme_user}@127.0.0.1:{}/{name}", relay.port);
    let store = Store::connect(&url).await.expect("through the relay");
    let app = start_with(
        &store,
        WebConfig {
            logins_per_minute: 1000,
            ..WebConfig::default()
        },
    )
    .await;
    let (c, csrf) = app.login("hoa.snv").await;
    let (s, _) = app.get(&c, "/to-chuc").await;
    assert_eq!(s, StatusCode::OK);

    relay.cut();
    // Give the relay's tasks a moment to close their sockets.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let (s, body) = app.get(&c, "/to-chuc").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("tạm thời gián đoạn"), "{body}");
    let (s, body) = app
        .api(&c, reqwest::Method::GET, "/api/v1/me", &csrf, None)
        .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], "unavailable");
    let (s, _) = app.get(&c, "/healthz").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "answers come within the pool's wait, not never"
    );

    relay.restore();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (s, _) = app.get(&c, "/to-chuc").await;
        if s == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "not recovered: {s}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The same session goes on: nobody was logged out by the outage.
    let (s, body) = app
        .api(&c, reqwest::Method::GET, "/api/v1/me", &csrf, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["login"], "hoa.snv");
    store.close().await;
    db.finish().await;
}
