//! The pages: each handler turns a request into a view, after the policy.

mod common;
mod home;
mod login;
mod org;
mod unit_edit;

pub(crate) use common::{
    guard_system, guard_unit, redirect_with_error, redirect_with_flash, scope_units,
};
pub(crate) use home::home;
pub(crate) use login::{login, login_form, logout, password_change, password_form};
pub(crate) use org::{org_by_code, org_index, org_unit, unit_choices};
pub(crate) use unit_edit::{unit_create, unit_new_form, unit_rename, unit_rename_form};

pub use crate::chrome::{Chrome, format_int, today_vn, url_encode};

#[cfg(test)]
mod tests {
    use super::login::safe_next;
    use super::*;

    #[test]
    fn numbers_use_dot_thousands() {
        assert_eq!(format_int(27247), "27.247");
        assert_eq!(format_int(905), "905");
        assert_eq!(format_int(-1234567), "-1.234.567");
    }

    #[test]
    fn only_local_paths_follow_a_login() {
        assert_eq!(safe_next(Some("/to-chuc/5")), "/to-chuc/5");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        // Issue 17, finding 9: what browsers strip or turn into a slash.
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x=1")), "/");
        assert_eq!(safe_next(Some("/ /evil.example")), "/");
        assert_eq!(
            safe_next(Some("/so-khen-thuong?q=nguyễn")),
            "/so-khen-thuong?q=nguy%E1%BB%85n"
        );
    }
}
