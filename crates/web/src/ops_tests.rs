//! What monitoring reads: `/readyz` and `/metrics`, and who may read the
//! latter.

use crate::WebConfig;
use crate::tests::{start, start_with};
use reqwest::StatusCode;

thidua_store::engine_tests!(
    metrics_count_requests_and_stay_private,
    |store| async move {
        let app = start(store).await;
        let c = reqwest::Client::new();
        let r = c
            .get(format!("{}/readyz", app.base))
            .send()
            .await
            .expect("readyz");
        assert_eq!(r.status(), StatusCode::OK);
        let (hoa, _) = app.login("hoa.snv").await;
        app.get(&hoa, "/ho-so").await;
        app.get(&hoa, "/ho-so/999999").await;
        // From this machine, without a token: allowed.
        let r = c
            .get(format!("{}/metrics", app.base))
            .send()
            .await
            .expect("metrics");
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap_or("")
                .starts_with("text/plain; version=0.0.4")
        );
        let text = r.text().await.expect("text");
        for needle in [
            "thidua_http_requests_total{route=\"/ho-so\",method=\"GET\",status=\"200\"} 1",
            "thidua_http_requests_total{route=\"/ho-so/{id}\",method=\"GET\",status=\"404\"} 1",
            "thidua_http_request_duration_seconds_bucket{route=\"/ho-so\",le=\"+Inf\"} 1",
            "thidua_db_pool_connections{state=\"idle\"}",
            "thidua_db_up 1",
            "thidua_dossiers_overdue ",
            "thidua_outbox_backlog ",
        ] {
            assert!(text.contains(needle), "{needle} in\n{text}");
        }
        // Typed paths never become labels: one series per route pattern
        // (a label, not a bare number: a latency sum may well hold 999999).
        assert!(!text.contains("route=\"/ho-so/999999\""), "{text}");

        // With a token: only with it.
        let app = start_with(
            store,
            WebConfig {
                metrics_token: Some("bi-mat-giam-sat".into()),
                ..WebConfig::default()
            },
        )
        .await;
        let url = format!("{}/metrics", app.base);
        let r = c.get(&url).send().await.expect("metrics");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = c
            .get(&url)
            .bearer_auth("sai")
            .send()
            .await
            .expect("metrics");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = c
            .get(&url)
            .bearer_auth("bi-mat-giam-sat")
            .send()
            .await
            .expect("metrics");
        assert_eq!(r.status(), StatusCode::OK);

        // Behind a proxy on this machine, a public client is not local.
        let app = start_with(
            store,
            WebConfig {
                trusted_proxies: vec!["127.0.0.1".parse().expect("ip")],
                ..WebConfig::default()
            },
        )
        .await;
        let r = c
            .get(format!("{}/metrics", app.base))
            .header("x-forwarded-for", "203.0.113.7")
            .send()
            .await
            .expect("metrics");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
);
