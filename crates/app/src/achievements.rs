//! Từ sơ kết, tổng kết đến khen thưởng — at a movement's review the
//! launching body records the achievements of units and people in that
//! movement (entered, or proposed from its figures), and turns the
//! outstanding ones into a thematic dossier with the forms the movement
//! promised. Each line rests on its achievement, is judged as a thematic
//! award, and once awarded marks the achievement used at that level, so it
//! is never rewarded twice there (Điều 5 khoản 2).

pub mod engine;

use crate::dossiers::{By, LineInput};
use crate::{AppError, AppResult, auth, invalid, movements};
use thidua_domain::dossier::DossierId;
use thidua_domain::eligibility::request::AwardType;
use thidua_domain::org::UnitId;
use thidua_domain::policy::Object;
use thidua_store::{
    AchievementRow, DossierHeader, MovementRow, NewAchievement, Store, SubjectRef, UserRow, Who,
};
use time::Date;

/// An achievement as the launching body's officer records it.
#[derive(Debug, Clone)]
pub struct AchievementInput {
    pub review: Option<i64>,
    pub subject: SubjectRef,
    pub period_from: i32,
    pub period_to: i32,
    pub outstanding: bool,
    pub summary: String,
}

async fn managed(
    store: &Store,
    user: &UserRow,
    movement: i64,
    today: Date,
) -> AppResult<MovementRow> {
    let m = store
        .movement(movement)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("phong trào #{movement}")))?;
    if !movements::access::may_see(store, user, &m, today).await? {
        return Err(AppError::NotFound(format!("phong trào #{movement}")));
    }
    movements::access::may_manage(store, user, &m, today)
        .await?
        .map_err(AppError::Denied)?;
    Ok(m)
}

/// The body that speaks for a movement's authority today: itself, or —
/// when the 2025 reform ended it — what it became.
async fn current_body(store: &Store, unit: UnitId, today: Date) -> AppResult<UnitId> {
    match store.unit(unit, today).await? {
        Some(u) if u.period.contains(today) => Ok(unit),
        _ => Ok(store
            .became_as_of(unit, today)
            .await?
            .first()
            .map_or(unit, |l| l.unit.id)),
    }
}

/// The unit a subject stands in today, and whether it is under `root`.
async fn home_under(
    store: &Store,
    subject: SubjectRef,
    root: Option<UnitId>,
    today: Date,
) -> AppResult<UnitId> {
    let units: Vec<UnitId> = match subject {
        SubjectRef::Person(p) => {
            let m = store.memberships(p).await?;
            if m.is_empty() {
                return Err(AppError::NotFound(format!("cá nhân #{p}")));
            }
            m.into_iter().map(|(u, ..)| u).collect()
        }
        SubjectRef::Unit(u) => vec![u],
    };
    let Some(root) = root else {
        return units
            .last()
            .copied()
            .ok_or_else(|| invalid("subject", "Đối tượng không có đơn vị"));
    };
    for u in units.iter().rev() {
        if let Some(Object::Unit { chain, .. }) = auth::unit_object(store, *u, today).await?
            && chain.contains(&root)
        {
            return Ok(*u);
        }
    }
    Err(invalid(
        "subject",
        "Đối tượng không thuộc địa bàn của cơ quan phát động phong trào",
    ))
}

/// Records an achievement at one of the movement's reviews.
pub async fn record(
    store: &Store,
    user: &UserRow,
    who: &Who,
    today: Date,
    movement: i64,
    a: &AchievementInput,
) -> AppResult<i64> {
    let m = managed(store, user, movement, today).await?;
    let reviews = store.movement_reviews(m.id).await?;
    if let Some(r) = a.review
        && !reviews.iter().any(|x| x.id == r)
    {
        return Err(invalid(
            "review",
            "Kỳ sơ kết, tổng kết không thuộc phong trào này",
        ));
    }
    let first = m.start.year();
    let last = m.end.map_or(today.year(), |e| e.year()).min(today.year());
    if a.period_from > a.period_to || a.period_from < first || a.period_to > last {
        return Err(invalid(
            "period",
            format!(
                "Giai đoạn thành tích {}–{} phải nằm trong thời gian phong trào ({first}–{last})",
                a.period_from, a.period_to
            ),
        ));
    }
    if a.summary.trim().is_empty() {
        return Err(invalid("summary", "Hãy ghi tóm tắt thành tích"));
    }
    let root = match m.authority {
        Some(u) => Some(current_body(store, u, today).await?),
        None => None,
    };
    let home = home_under(store, a.subject, root, today).await?;
    Ok(store
        .add_achievement(
            who,
            &NewAchievement {
                movement: m.id,
                review: a.review,
                subject: a.subject,
                home,
                period_from: a.period_from,
                period_to: a.period_to,
                outstanding: a.outstanding,
                summary: a.summary.clone(),
                source: "entered",
            },
        )
        .await?)
}

/// A movement's achievements, for those who see the movement.
pub async fn list(
    store: &Store,
    user: &UserRow,
    today: Date,
    movement: i64,
) -> AppResult<Vec<AchievementRow>> {
    let m = store
        .movement(movement)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("phong trào #{movement}")))?;
    if !movements::access::may_see(store, user, &m, today).await? {
        return Err(AppError::NotFound(format!("phong trào #{movement}")));
    }
    Ok(store.achievements(m.id).await?)
}

/// Turns chosen achievements into a thematic dossier of the launching
/// body, one line each with `code` (a form the movement promised).
pub async fn propose_dossier(
    store: &Store,
    by: &By<'_>,
    movement: i64,
    ids: &[i64],
    code: &str,
) -> AppResult<DossierId> {
    let m = managed(store, by.user, movement, by.today).await?;
    let Some(unit) = m.authority else {
        return Err(invalid(
            "movement",
            "Phong trào của trung ương: hồ sơ do cơ quan phát động lập",
        ));
    };
    let unit = current_body(store, unit, by.today).await?;
    if ids.is_empty() {
        return Err(invalid("achievements", "Hãy chọn ít nhất một thành tích"));
    }
    let all = store.achievements(m.id).await?;
    let mut chosen = Vec::new();
    for id in ids {
        let a = all.iter().find(|a| a.id == *id).ok_or_else(|| {
            invalid(
                "achievements",
                format!("Thành tích #{id} không thuộc phong trào này"),
            )
        })?;
        if let Some(d) = a.proposed_in {
            return Err(invalid(
                "achievements",
                format!("Thành tích của {} đã có trong hồ sơ #{d}", a.subject_name),
            ));
        }
        chosen.push(a);
    }
    let form = crate::decisions::form_name(&store.catalogue_versions().await?, code, by.today);
    let dossier = crate::dossiers::create(
        store,
        by,
        unit,
        &DossierHeader {
            award_type: AwardType::Thematic,
            movement_id: Some(m.id),
            title: format!("Đề nghị tặng {form} trong phong trào «{}»", m.name),
            letter_number: None,
            letter_date: None,
            letter_signer: None,
        },
    )
    .await?;
    for a in chosen {
        crate::dossiers::add_line(
            store,
            by,
            dossier,
            &LineInput {
                subject: a.subject(),
                code: code.to_owned(),
                period_from: a.period_from,
                period_to: a.period_to,
                summary: a.summary.clone(),
                achievement: Some(a.id),
            },
        )
        .await?;
    }
    Ok(dossier)
}

/// An achievement as typed on the page: a person's id («mã cá nhân») or a
/// collective's unit code.
#[derive(Debug, Clone, Default)]
pub struct TypedAchievement {
    pub review: String,
    pub person: String,
    pub unit: String,
    pub period_from: String,
    pub period_to: String,
    pub outstanding: bool,
    pub summary: String,
}

fn year(field: &'static str, s: &str) -> AppResult<i32> {
    s.trim()
        .parse()
        .map_err(|_| invalid(field, format!("Năm «{}» không hợp lệ", s.trim())))
}

/// Reads a typed achievement, then records it.
pub async fn record_typed(
    store: &Store,
    user: &UserRow,
    who: &Who,
    today: Date,
    movement: i64,
    t: &TypedAchievement,
) -> AppResult<i64> {
    let subject = match (t.person.trim(), t.unit.trim()) {
        ("", "") => {
            return Err(invalid(
                "subject",
                "Hãy ghi mã cá nhân hoặc mã đơn vị của tập thể",
            ));
        }
        (p, "") => SubjectRef::Person(
            p.parse()
                .map_err(|_| invalid("person", format!("Mã cá nhân «{p}» không hợp lệ")))?,
        ),
        ("", u) => SubjectRef::Unit(crate::org_view::pick_unit(store, u, today).await?),
        _ => {
            return Err(invalid(
                "subject",
                "Chỉ ghi một trong hai: mã cá nhân hoặc mã đơn vị",
            ));
        }
    };
    let review = match t.review.trim() {
        "" => None,
        r => Some(
            r.parse()
                .map_err(|_| invalid("review", "Kỳ sơ kết, tổng kết không hợp lệ"))?,
        ),
    };
    let input = AchievementInput {
        review,
        subject,
        period_from: year("period_from", &t.period_from)?,
        period_to: year("period_to", &t.period_to)?,
        outstanding: t.outstanding,
        summary: t.summary.clone(),
    };
    record(store, user, who, today, movement, &input).await
}
