//! Hướng dẫn sử dụng — the user guide, one page per role, written in
//! `docs/huong-dan/` and compiled into the program so that the server and
//! the repository always show the same text. Its pictures are the browser
//! tests' screenshots (the test script fails when one the guide names is no
//! longer made); `scripts/guide-screenshots.sh` refreshes the copies.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::sync::OnceLock;
use thidua_domain::policy::Role;

/// One page of the guide: its address under `/huong-dan/` ("" is the
/// index) and its Markdown.
struct Source {
    slug: &'static str,
    markdown: &'static str,
}

macro_rules! sources {
    ($($slug:literal => $file:literal),* $(,)?) => {
        const SOURCES: &[Source] = &[
            $(Source {
                slug: $slug,
                markdown: include_str!(concat!("../../../docs/huong-dan/", $file)),
            }),*
        ];
    };
}

sources!(
    "" => "README.md",
    "can-bo-tinh" => "can-bo-tinh.md",
    "can-bo-don-vi" => "can-bo-don-vi.md",
    "thanh-vien-hoi-dong" => "thanh-vien-hoi-dong.md",
    "lanh-dao" => "lanh-dao.md",
    "quan-tri" => "quan-tri.md",
    "nguoi-dan" => "nguoi-dan.md",
);

macro_rules! pictures {
    ($($name:literal),* $(,)?) => {
        /// The screenshots the guide shows, by file name.
        pub(crate) const PICTURES: &[(&str, &[u8])] = &[
            $(($name, include_bytes!(concat!("../../../docs/huong-dan/anh/", $name)))),*
        ];
    };
}

pictures!(
    "02-trang-chu.png",
    "03-cay-to-chuc.png",
    "05-don-vi-moi.png",
    "06-nhat-ky.png",
    "07-tai-khoan.png",
    "13-bang-so-lieu-sau.png",
    "13b-bang-so-lieu-dia-gioi-cu.png",
    "20-binh-xet.png",
    "21-binh-xet-da-chot.png",
    "30-ho-so-da-gui.png",
    "31-ho-so-tham-dinh.png",
    "32-cong-khai.png",
    "33-ho-so-quyet-dinh.png",
    "35-quyet-dinh.png",
    "36-so-khen-thuong-tim.png",
    "37-so-khen-thuong-ca-nhan.png",
    "38-thong-ke.png",
    "39-nhap-so-loi.png",
    "40-nhap-so-xem-truoc.png",
    "42-khoi-tu-cham-loi.png",
    "44-khoi-xep-hang.png",
    "62-ngay-dau-danh-sach.png",
    "67-ngay-dau-viec-cua-so.png",
);

/// A page rendered once: its title (the first heading), its HTML, the ids
/// of its sections and the pictures it shows.
pub(crate) struct Rendered {
    pub(crate) slug: &'static str,
    pub(crate) title: String,
    pub(crate) html: String,
    sections: Vec<String>,
    /// Read by the test that keeps `PICTURES` and the Markdown in step.
    #[cfg_attr(not(test), allow(dead_code))]
    pictures: Vec<String>,
}

pub(crate) fn rendered() -> &'static [Rendered] {
    static PAGES: OnceLock<Vec<Rendered>> = OnceLock::new();
    PAGES.get_or_init(|| SOURCES.iter().map(render).collect())
}

/// Links between pages are written `other.md` and pictures `anh/x.png`, so
/// that the files read well in the repository; on the server both live
/// under `/huong-dan/`.
pub(crate) fn address(dest: &str) -> String {
    if dest.starts_with('/') || dest.starts_with('#') || dest.contains("://") {
        return dest.to_owned();
    }
    let (path, anchor) = dest.split_once('#').unwrap_or((dest, ""));
    let path = path.strip_suffix(".md").unwrap_or(path);
    let path = if path == "README" { "" } else { path };
    let mut out = format!("/huong-dan/{path}");
    if out.ends_with('/') && path.is_empty() {
        out.pop();
    }
    if !anchor.is_empty() {
        out.push('#');
        out.push_str(anchor);
    }
    out
}

fn render(source: &Source) -> Rendered {
    let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut title = String::new();
    let mut sections = Vec::new();
    let mut pictures = Vec::new();
    let mut in_title = false;
    let events: Vec<Event<'_>> = Parser::new_ext(source.markdown, options)
        .map(|event| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(address(&dest_url)),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if let Some(name) = dest_url.strip_prefix("anh/") {
                    pictures.push(name.to_owned());
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(address(&dest_url)),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                in_title = title.is_empty() && level == pulldown_cmark::HeadingLevel::H1;
                if let Some(id) = &id {
                    sections.push(id.to_string());
                }
                event_heading(level, id)
            }
            Event::End(TagEnd::Heading(level)) => {
                in_title = false;
                Event::End(TagEnd::Heading(level))
            }
            Event::Text(text) => {
                if in_title {
                    title.push_str(&text);
                }
                Event::Text(text)
            }
            other => other,
        })
        .collect();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered {
        slug: source.slug,
        title,
        html,
        sections,
        pictures,
    }
}

fn event_heading<'a>(level: pulldown_cmark::HeadingLevel, id: Option<CowStr<'a>>) -> Event<'a> {
    Event::Start(Tag::Heading {
        level,
        id,
        classes: Vec::new(),
        attrs: Vec::new(),
    })
}

/// The guide page written for a role; the index for a read-only account.
fn page_of(role: Role) -> &'static str {
    match role {
        Role::Admin => "quan-tri",
        Role::ProvinceOfficer => "can-bo-tinh",
        Role::UnitOfficer => "can-bo-don-vi",
        Role::CouncilMember => "thanh-vien-hoi-dong",
        Role::Leader => "lanh-dao",
        Role::Viewer => "",
    }
}

/// Where a page's «Hướng dẫn» link leads: the reader's page of the guide,
/// at the section about the area the page belongs to when there is one.
pub fn help_link(role: Option<Role>, area: &str) -> String {
    let section = match area {
        "" => "viec",
        "guong" => "dien-hinh",
        other => other,
    };
    let slug = match role {
        Some(role) => page_of(role),
        None if matches!(area, "cong-khai" | "guong") => "nguoi-dan",
        None => "",
    };
    let base = address(if slug.is_empty() { "README" } else { slug });
    match rendered().iter().find(|p| p.slug == slug) {
        Some(page) if page.sections.iter().any(|s| s == section) => format!("{base}#{section}"),
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_picture_the_guide_shows_is_served_and_every_served_one_is_shown() {
        let shown: std::collections::BTreeSet<&str> = rendered()
            .iter()
            .flat_map(|p| p.pictures.iter().map(String::as_str))
            .collect();
        let served: std::collections::BTreeSet<&str> = PICTURES.iter().map(|(n, _)| *n).collect();
        assert_eq!(shown, served);
        for (name, bytes) in PICTURES {
            assert!(bytes.starts_with(b"\x89PNG"), "{name} is a PNG");
        }
    }

    #[test]
    fn a_page_for_every_role_with_a_title_and_sections() {
        for role in Role::ALL {
            let slug = page_of(role);
            let page = rendered().iter().find(|p| p.slug == slug).expect("page");
            assert!(!page.title.is_empty(), "{slug} has a title");
            assert!(!page.sections.is_empty(), "{slug} has sections");
        }
        assert_eq!(
            help_link(Some(Role::ProvinceOfficer), "ho-so"),
            "/huong-dan/can-bo-tinh#ho-so"
        );
        assert_eq!(
            help_link(Some(Role::Leader), ""),
            "/huong-dan/lanh-dao#viec"
        );
        assert_eq!(
            help_link(None, "cong-khai"),
            "/huong-dan/nguoi-dan#cong-khai"
        );
        // An area the page does not describe leads to the page's top.
        assert_eq!(
            help_link(Some(Role::Leader), "khoi-cum"),
            "/huong-dan/lanh-dao"
        );
        assert_eq!(help_link(None, ""), "/huong-dan");
    }

    #[test]
    fn links_between_pages_stay_inside_the_guide() {
        assert_eq!(address("can-bo-tinh.md"), "/huong-dan/can-bo-tinh");
        assert_eq!(address("README.md#chung"), "/huong-dan#chung");
        assert_eq!(
            address("anh/02-trang-chu.png"),
            "/huong-dan/anh/02-trang-chu.png"
        );
        assert_eq!(address("/cong-khai"), "/cong-khai");
        let index = rendered()
            .iter()
            .find(|p| p.slug.is_empty())
            .expect("index");
        for page in rendered().iter().filter(|p| !p.slug.is_empty()) {
            assert!(
                index
                    .html
                    .contains(&format!("href=\"/huong-dan/{}\"", page.slug)),
                "the index links to {}",
                page.slug
            );
        }
    }
}
