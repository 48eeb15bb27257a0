//! Comments from the public on a posted dossier.

use crate::auth;
use crate::invalid;
use crate::{AppError, AppResult};
use thidua_domain::dossier::{DossierId, Side};
use thidua_store::{Store, Who};
use time::Date;

/// A citizen's comment on a posted dossier (góp ý), from the public page.
#[derive(Debug, Clone)]
pub struct PublicComment {
    pub dossier: DossierId,
    pub line: Option<i64>,
    pub name: String,
    pub contact: String,
    pub body: String,
}

/// At most this many comments per address per day, over all dossiers.
pub const COMMENTS_PER_DAY: i64 = 10;

/// Keeps a citizen's comment on a dossier posted today. The address is
/// kept only as a salted hash, enough to count a day's comments.
pub async fn public_comment(
    store: &Store,
    address: &str,
    c: &PublicComment,
    today: Date,
) -> AppResult<()> {
    let hash = auth::feedback_address_hash(store, address).await?;
    let since =
        thidua_domain::audit::timestamp(time::OffsetDateTime::now_utc() - time::Duration::days(1));
    if store.feedback_count_since(&hash, &since).await? >= COMMENTS_PER_DAY {
        return Err(AppError::TooMany(
            "Mỗi địa chỉ gửi tối đa 10 ý kiến một ngày.".into(),
        ));
    }
    let body = c.body.trim();
    if !(10..=4000).contains(&body.chars().count()) {
        return Err(invalid("body", "Ý kiến cần từ 10 đến 4.000 ký tự."));
    }
    if c.name.trim().is_empty() {
        return Err(invalid("name", "Hãy ghi họ tên người góp ý."));
    }
    let who = Who {
        user_id: None,
        login: "cong-khai".into(),
        ip: Some(address.to_owned()),
    };
    store
        .add_feedback(
            &who,
            c.dossier,
            c.line,
            &c.name.chars().take(200).collect::<String>(),
            &c.contact.chars().take(200).collect::<String>(),
            body,
            &hash,
            today,
        )
        .await?;
    tell_of_feedback(store, c.dossier, today).await
}

/// The appraisers and the council learn of a citizen's comment: the
/// council weighs it before it votes.
async fn tell_of_feedback(store: &Store, id: DossierId, today: Date) -> AppResult<()> {
    let Some(dossier) = store.dossier(id).await? else {
        return Ok(());
    };
    let mut users = super::notify::side_users(store, &dossier, today, Side::Appraiser).await?;
    users.extend(super::access::council(store, &dossier, today).await?);
    users.sort_by_key(|u| u.id);
    users.dedup_by_key(|u| u.id);
    let message = format!(
        "Có ý kiến góp ý mới của người dân về hồ sơ #{} «{}».",
        dossier.id, dossier.title
    );
    let list = super::notify::notices(&users, "pending", &message);
    store.notify(&Who::system("feedback"), id, &list).await?;
    Ok(())
}
