//! The guide's pages on the server: `/huong-dan`, one page per role, and
//! the screenshots they show.

use crate::chrome::{Chrome, error_page};
use crate::guide::{PICTURES, address, rendered};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Template, WebTemplate)]
#[template(path = "guide.html")]
struct GuidePage {
    chrome: Chrome,
    title: String,
    body: String,
    pages: Vec<(String, String, bool)>,
}

fn show(slug: &str) -> Response {
    let pages = rendered();
    let Some(page) = pages.iter().find(|p| p.slug == slug) else {
        return (
            StatusCode::NOT_FOUND,
            error_page(
                "Không có trang hướng dẫn này",
                "Trang hướng dẫn bạn tìm không có. Xem mục lục ở trang Hướng dẫn sử dụng.",
            ),
        )
            .into_response();
    };
    GuidePage {
        chrome: Chrome::new("huong-dan", None),
        title: page.title.clone(),
        body: page.html.clone(),
        pages: pages
            .iter()
            .map(|p| {
                (
                    address(if p.slug.is_empty() { "README" } else { p.slug }),
                    p.title.clone(),
                    p.slug == slug,
                )
            })
            .collect(),
    }
    .into_response()
}

pub async fn index() -> Response {
    show("")
}

pub async fn page(Path(slug): Path<String>) -> Response {
    if slug.is_empty() {
        return show("");
    }
    show(&slug)
}

pub async fn picture(Path(name): Path<String>) -> Response {
    match PICTURES.iter().find(|(n, _)| *n == name) {
        Some((_, bytes)) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *bytes,
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            error_page(
                "Không có hình này",
                "Hình bạn tìm không có trong hướng dẫn.",
            ),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::start;
    use reqwest::StatusCode;

    thidua_store::engine_tests!(
        the_guide_is_served_and_each_page_links_to_its_section,
        |store| async move {
            let app = start(store).await;
            let c = reqwest::Client::new();
            let get = |path: String| {
                let c = c.clone();
                async move {
                    let r = c.get(&path).send().await.expect("GET");
                    (r.status(), r.text().await.unwrap_or_default())
                }
            };
            // Open to everyone, as the citizen's page is.
            let (status, index) = get(format!("{}/huong-dan", app.base)).await;
            assert_eq!(status, StatusCode::OK);
            for page in [
                "can-bo-tinh",
                "can-bo-don-vi",
                "thanh-vien-hoi-dong",
                "lanh-dao",
                "quan-tri",
                "nguoi-dan",
            ] {
                assert!(index.contains(&format!("href=\"/huong-dan/{page}\"")));
                let (status, html) = get(format!("{}/huong-dan/{page}", app.base)).await;
                assert_eq!(status, StatusCode::OK, "{page}");
                let pictures: Vec<&str> = html
                    .split("src=\"")
                    .skip(1)
                    .filter_map(|s| s.split('"').next())
                    .filter(|s| s.starts_with("/huong-dan/anh/"))
                    .collect();
                assert!(!pictures.is_empty(), "{page} shows pictures");
                for src in pictures {
                    let r = c
                        .get(format!("{}{src}", app.base))
                        .send()
                        .await
                        .expect("picture");
                    assert_eq!(r.status(), StatusCode::OK, "{src}");
                    assert_eq!(r.headers()["content-type"], "image/png");
                }
            }
            let (status, html) = get(format!("{}/huong-dan/khong-co", app.base)).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert!(html.contains("Không có trang hướng dẫn này"));
            // The public page leads a citizen to the citizen's section.
            let (_, public) = get(format!("{}/cong-khai", app.base)).await;
            assert!(public.contains("href=\"/huong-dan/nguoi-dan#cong-khai\""));
            // A province officer on the dossiers list: her page, its section.
            let (hoa, _) = app.login("hoa.snv").await;
            let (_, list) = app.get(&hoa, "/ho-so").await;
            assert!(
                list.contains("href=\"/huong-dan/can-bo-tinh#ho-so\""),
                "{list}"
            );
            let (_, officer) = get(format!("{}/huong-dan/can-bo-tinh", app.base)).await;
            assert!(officer.contains("id=\"ho-so\""));
        }
    );
}
