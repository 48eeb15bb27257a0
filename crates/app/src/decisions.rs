//! Decisions as documents: numbering, bonuses, the words from the
//! administrators' templates, and the PDF/DOCX/certificates they print as.
//! Also corrections and revocations, which change the registry through a
//! later decision that names the earlier one.

pub use crate::decision_defaults::ensure_defaults;
use crate::{AppError, AppResult, invalid};
use std::sync::OnceLock;
use thidua_documents as docs;
use thidua_domain::decision::{self as dd, DecisionId, DecisionKind};
use thidua_domain::document::DocumentNumber;
use thidua_domain::dossier::DossierId;
use thidua_domain::eligibility::catalogue::{CatalogueEntry, in_force};
use thidua_domain::org::{UnitId, UnitKind};
use thidua_domain::policy;
use thidua_domain::template::{Template, TemplateKind, Values, date_in_words};
use thidua_domain::{VnDate, number};
use thidua_store::{
    DecisionEffect, DecisionLineRow, DecisionRow, NewDecision, Store, UnitRow, UserRow, Who,
};
use time::Date;

/// The authority of a provincial decision, in words; the province's name
/// follows it ("… tỉnh Lâm Đồng").
pub const ISSUER_PROVINCE: &str = "Chủ tịch Ủy ban nhân dân tỉnh";
/// The symbol of a provincial chairman's decisions.
pub const SYMBOL_PROVINCE: &str = "QĐ-UBND";

/// Fonts are read once per process; a machine without them gets one clear
/// error per request instead of a crash.
pub fn fonts() -> AppResult<&'static docs::Fonts> {
    static FONTS: OnceLock<Result<docs::Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let dir = std::env::var_os("THIDUA_FONT_DIR").map(std::path::PathBuf::from);
            docs::Fonts::load(dir.as_deref()).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| AppError::Internal(e.clone()))
}

/// The template of a kind in force (the shipped one if none is stored).
pub async fn template(store: &Store, kind: TemplateKind) -> AppResult<Template> {
    let body = store.template(kind).await?.map(|t| t.body);
    let body = body.as_deref().unwrap_or(kind.default_text());
    Template::parse(kind, body).map_err(|e| invalid("template", e.to_string()))
}

/// Checks and saves a new version of a template; a template with an
/// unknown placeholder or section is refused with its line and column.
pub async fn save_template(
    store: &Store,
    who: &Who,
    kind: TemplateKind,
    body: &str,
) -> AppResult<i64> {
    Template::parse(kind, body).map_err(|e| invalid("body", e.to_string()))?;
    Ok(store.save_template(who, kind, body).await?)
}

/// The province a unit is in on a day (itself, when it is one).
pub async fn province_of(store: &Store, unit: UnitId, on: Date) -> AppResult<Option<UnitRow>> {
    let mut chain = store.ancestors_as_of(unit, on).await?;
    if chain.is_empty() {
        // An ended unit: ask on its last day.
        if let Some(u) = store.unit(unit, on).await? {
            chain = vec![u];
        }
    }
    Ok(chain.into_iter().find(|u| u.kind == UnitKind::Province))
}

/// "Tỉnh Lâm Đồng" → "Lâm Đồng"; "Thành phố Hà Nội" → "Hà Nội".
pub fn place_name(unit_name: &str) -> String {
    for prefix in ["Tỉnh ", "tỉnh ", "Thành phố ", "thành phố "] {
        if let Some(rest) = unit_name.strip_prefix(prefix) {
            return rest.to_owned();
        }
    }
    unit_name.to_owned()
}

/// The number the next decision of an issuer takes this year.
pub async fn next_number(
    store: &Store,
    issuer: &str,
    issuer_unit: Option<UnitId>,
    year: i32,
    symbol: &str,
) -> AppResult<(DocumentNumber, i64)> {
    let last = store
        .last_decision_serial(issuer, issuer_unit, year)
        .await?;
    let last = last.and_then(|l| u32::try_from(l).ok());
    let n = dd::next_number(last, symbol).ok_or_else(|| {
        invalid(
            "number",
            format!("không đánh được số sau {last:?}/{symbol}"),
        )
    })?;
    let serial = dd::serial_of(&n).map_or(0, i64::from);
    Ok((n, serial))
}

/// The bonus of one line: the catalogue's multiple × the base salary on
/// the decision day, rounded up; `None` when the catalogue has no figure.
pub fn bonus_for(
    catalogue: &[CatalogueEntry],
    salaries: &[dd::BaseSalary],
    code: &str,
    on: Date,
) -> Option<i64> {
    let entry = in_force(catalogue, on)
        .into_iter()
        .find(|e| e.code.as_str() == code)?;
    let tenths = dd::multiple_in_tenths(entry.bonus_multiple?)?;
    let base = dd::base_salary_on(salaries, on)?;
    Some(dd::bonus_vnd(
        tenths,
        base.amount_vnd,
        dd::BONUS_ROUNDING_VND,
    ))
}

/// The catalogue's name of a code on a day (the code itself if unknown),
/// with only the first of the authorities it lists: a provincial decision
/// gives "Bằng khen của Chủ tịch UBND tỉnh", not "…, Bộ trưởng".
pub fn form_name(catalogue: &[CatalogueEntry], code: &str, on: Date) -> String {
    // A record older than the catalogue is named as its first version names it.
    let name = in_force(catalogue, on)
        .into_iter()
        .find(|e| e.code.as_str() == code)
        .or_else(|| {
            catalogue
                .iter()
                .filter(|e| e.code.as_str() == code)
                .min_by_key(|e| e.effective_from)
        })
        .map_or_else(|| code.to_owned(), |e| e.name.clone());
    match name.split_once(" của ") {
        Some((form, by)) => format!("{form} của {}", by.split(", ").next().unwrap_or(by)),
        None => name,
    }
}

/// What a signer signs as: the head signs in their own name; a deputy
/// signs "KT." (on behalf of) the head.
fn capacity(signer_title: &str) -> Vec<String> {
    let t = signer_title.trim();
    match t.strip_prefix("Phó ").or_else(|| t.strip_prefix("phó ")) {
        Some(head) => vec![format!("KT. {}", head.to_uppercase()), t.to_uppercase()],
        None if t.is_empty() => vec!["CHỦ TỊCH".into()],
        None => vec![t.to_uppercase()],
    }
}

/// Everything a decision's documents are made of.
pub struct DecisionPaper {
    pub decision: DecisionRow,
    pub lines: Vec<DecisionLineRow>,
    pub earlier: Option<DecisionRow>,
    pub full_issuer: String,
    pub place: String,
    /// The bonuses of the lines, in đồng.
    pub total_vnd: i64,
    heading_body: Vec<String>,
    form: String,
    values: Values,
}

pub async fn paper(store: &Store, id: DecisionId) -> AppResult<DecisionPaper> {
    let decision = store
        .decision(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("quyết định #{id}")))?;
    let lines = store.decision_lines(id).await?;
    let earlier = match decision.refers_to {
        Some(r) => store.decision(DecisionId(r)).await?,
        None => None,
    };
    let catalogue = store.catalogue_versions().await?;
    let on = decision.decision_date;
    let unit = match decision.issuer_unit_id {
        Some(u) => store.unit(UnitId(u), on).await?,
        None => None,
    };
    let (full_issuer, place, heading_body) = match &unit {
        Some(u) => {
            let place = place_name(&u.name);
            let body = if u.kind == UnitKind::Province {
                vec!["ỦY BAN NHÂN DÂN".to_owned(), u.name.to_uppercase()]
            } else {
                vec![u.name.to_uppercase()]
            };
            (format!("{} {place}", decision.issuer), place, body)
        }
        None => (
            decision.issuer.clone(),
            "Hà Nội".to_owned(),
            vec![decision.issuer.to_uppercase()],
        ),
    };
    let mut codes: Vec<&str> = Vec::new();
    for l in &lines {
        if !codes.contains(&l.code.as_str()) {
            codes.push(&l.code);
        }
    }
    if codes.is_empty()
        && let Some(c) = &decision.award_code
    {
        codes.push(c);
    }
    let form = codes
        .iter()
        .map(|c| form_name(&catalogue, c, on))
        .collect::<Vec<_>>()
        .join(", ");
    let collectives = lines.iter().filter(|l| l.unit_id.is_some()).count();
    let individuals = lines.len() - collectives;
    let total: i64 = lines.iter().filter_map(|l| l.bonus_vnd).sum();
    let mut v = Values::new();
    v.insert("so_ky_hieu", decision.number.clone());
    v.insert("ngay", VnDate(on).to_string());
    v.insert("ngay_chu", date_in_words(on));
    v.insert("dia_danh", place.clone());
    v.insert(
        "co_quan",
        unit.as_ref().map_or(decision.issuer.clone(), |u| {
            format!("Ủy ban nhân dân {}", lower_first(&u.name))
        }),
    );
    v.insert("nguoi_co_tham_quyen", full_issuer.to_uppercase());
    v.insert("hinh_thuc", form.clone());
    v.insert("nguoi_ky", decision.signer.clone());
    v.insert("chuc_vu_ky", decision.signer_title.clone());
    v.insert("can_cu", decision.grounds.clone());
    v.insert("de_nghi_cua", decision.proposer.clone());
    v.insert("so_tap_the", collectives.to_string());
    v.insert("so_ca_nhan", individuals.to_string());
    v.insert("doi_tuong", dd::subjects_phrase(collectives, individuals));
    v.insert(
        "tong_tien_thuong",
        if total > 0 {
            dd::money_words(total)
        } else {
            "theo quy định".to_owned()
        },
    );
    v.insert(
        "muc_luong_co_so",
        decision
            .base_salary_vnd
            .map_or_else(|| "hiện hành".to_owned(), dd::money_words),
    );
    v.insert(
        "quyet_dinh_goc",
        earlier.as_ref().map_or(String::new(), |e| {
            format!("{} ngày {}", e.number, VnDate(e.decision_date))
        }),
    );
    v.insert("ly_do", decision.reason.clone().unwrap_or_default());
    Ok(DecisionPaper {
        decision,
        lines,
        earlier,
        full_issuer,
        place,
        total_vnd: total,
        heading_body,
        form,
        values: v,
    })
}

pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "Bà H'Hen Niê" — people are named with their honorific in lists.
fn display_name(l: &DecisionLineRow) -> String {
    match l.gender.as_deref() {
        Some("female") => format!("Bà {}", l.subject_name),
        Some("male") => format!("Ông {}", l.subject_name),
        _ => l.subject_name.clone(),
    }
}

fn detail(l: &DecisionLineRow) -> String {
    [l.position.as_deref(), l.subject_unit.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty() && *s != l.subject_name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn template_kind(kind: DecisionKind) -> TemplateKind {
    match kind {
        DecisionKind::Award => TemplateKind::Decision,
        DecisionKind::Revocation => TemplateKind::Revocation,
        DecisionKind::Correction => TemplateKind::Correction,
    }
}

/// The decision as laid out: words from the template, the list attached.
pub async fn decision_doc(store: &Store, p: &DecisionPaper) -> AppResult<docs::DecisionDoc> {
    let t = template(store, template_kind(p.decision.kind())).await?;
    let d = &p.decision;
    let groups: Vec<docs::ListGroup> = {
        let collectives: Vec<&DecisionLineRow> =
            p.lines.iter().filter(|l| l.unit_id.is_some()).collect();
        let people: Vec<&DecisionLineRow> =
            p.lines.iter().filter(|l| l.person_id.is_some()).collect();
        let both = !collectives.is_empty() && !people.is_empty();
        let row = |l: &&DecisionLineRow| docs::ListRow {
            name: display_name(l),
            detail: detail(l),
            achievement: l.achievement.clone().unwrap_or_default(),
            bonus: l
                .bonus_vnd
                .map_or(String::new(), |b| number::format_vi(b as f64, 0)),
        };
        let mut g = Vec::new();
        if !collectives.is_empty() {
            g.push(docs::ListGroup {
                heading: if both {
                    "I. TẬP THỂ"
                } else {
                    "TẬP THỂ"
                }
                .into(),
                rows: collectives.iter().map(row).collect(),
            });
        }
        if !people.is_empty() {
            g.push(docs::ListGroup {
                heading: if both { "II. CÁ NHÂN" } else { "CÁ NHÂN" }.into(),
                rows: people.iter().map(row).collect(),
            });
        }
        g
    };
    let total = p.total_vnd;
    let list_title = match d.kind() {
        DecisionKind::Award => format!("DANH SÁCH ĐƯỢC TẶNG {}", p.form.to_uppercase()),
        DecisionKind::Revocation => format!("DANH SÁCH HỦY BỎ, THU HỒI {}", p.form.to_uppercase()),
        DecisionKind::Correction => "DANH SÁCH ĐÍNH CHÍNH".to_owned(),
    };
    Ok(docs::DecisionDoc {
        heading: docs::Heading {
            body: p.heading_body.clone(),
            number: d.number.clone(),
            place: p.place.clone(),
            date_words: date_in_words(d.decision_date),
        },
        summary: docs::paras(&t.render("trich_yeu", &p.values)),
        authority: p.full_issuer.to_uppercase(),
        body: docs::paras(&t.render("than", &p.values)),
        recipients: t
            .render("noi_nhan", &p.values)
            .into_iter()
            .map(|x| x.text.trim_start_matches("- ").to_owned())
            .collect(),
        signature: docs::Signature {
            capacity: capacity(&d.signer_title),
            name: d.signer.clone(),
        },
        list: (!p.lines.is_empty()).then(|| docs::AwardList {
            title: list_title,
            subtitle: format!(
                "(Kèm theo Quyết định số {} ngày {} của {})",
                d.number,
                VnDate(d.decision_date),
                p.full_issuer
            ),
            groups,
            total: if total > 0 {
                format!("Tổng cộng: {}", dd::money_words(total))
            } else {
                String::new()
            },
        }),
    })
}

/// Which file a decision is printed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
}

impl Format {
    pub fn parse(s: &str) -> AppResult<Format> {
        match s {
            "pdf" => Ok(Format::Pdf),
            "docx" => Ok(Format::Docx),
            _ => Err(invalid(
                "format",
                format!("định dạng «{s}» không có; chọn pdf hoặc docx"),
            )),
        }
    }
}

/// The decision with its list, as PDF or DOCX.
pub async fn render(store: &Store, id: DecisionId, format: Format) -> AppResult<Vec<u8>> {
    let p = paper(store, id).await?;
    let doc = decision_doc(store, &p).await?;
    Ok(match format {
        Format::Pdf => docs::decision_pdf(&doc, fonts()?)?,
        Format::Docx => docs::decision_docx(&doc)?,
    })
}

/// One certificate per line still in force, as one PDF to print.
pub async fn certificates(store: &Store, id: DecisionId) -> AppResult<Vec<u8>> {
    let p = paper(store, id).await?;
    if p.decision.kind() == DecisionKind::Revocation {
        return Err(invalid("kind", "Quyết định hủy bỏ không có bằng để in"));
    }
    let t = template(store, TemplateKind::Certificate).await?;
    let catalogue = store.catalogue_versions().await?;
    let d = &p.decision;
    let mut out = Vec::new();
    let serial = d.serial.map_or_else(|| d.number.clone(), |s| s.to_string());
    for (i, l) in p
        .lines
        .iter()
        .filter(|l| l.decision_id == Some(d.id.0))
        .enumerate()
    {
        let name = form_name(&catalogue, &l.code, d.decision_date);
        let title = name.split(" của ").next().unwrap_or(&name).to_uppercase();
        let mut v = p.values.clone();
        v.insert("hinh_thuc", name.clone());
        v.insert("ten", display_name(l));
        v.insert("chuc_vu_don_vi", detail(l));
        v.insert(
            "thanh_tich",
            l.achievement
                .clone()
                .unwrap_or_else(|| "xuất sắc".to_owned()),
        );
        let book = format!("{serial}-{:02}", i + 1);
        v.insert("so_vao_so", book.clone());
        out.push(docs::CertificateDoc {
            form_title: title,
            body: docs::paras(&t.render("than", &v)),
            place_date: format!("{}, {}", p.place, date_in_words(d.decision_date)),
            signature: docs::Signature {
                capacity: capacity(&d.signer_title),
                name: d.signer.clone(),
            },
            reference: vec![
                format!(
                    "Quyết định số {} ngày {}",
                    d.number,
                    VnDate(d.decision_date)
                ),
                format!("Số vào sổ: {book}"),
            ],
        });
    }
    if out.is_empty() {
        return Err(invalid(
            "lines",
            "Quyết định không có dòng nào còn hiệu lực",
        ));
    }
    Ok(docs::certificates_pdf(&out, fonts()?)?)
}

/// A template tried on a made-up decision, before it is saved.
pub fn preview(kind: TemplateKind, body: &str) -> AppResult<Vec<u8>> {
    let t = Template::parse(kind, body).map_err(|e| invalid("body", e.to_string()))?;
    let day = time::macros::date!(2026 - 11 - 20);
    let mut v = Values::new();
    for (f, meaning) in kind.fields() {
        v.insert(f, format!("[{meaning}]"));
    }
    v.insert("so_ky_hieu", "123/QĐ-UBND".into());
    v.insert("ngay", VnDate(day).to_string());
    v.insert("ngay_chu", date_in_words(day));
    v.insert("dia_danh", "Lâm Đồng".into());
    let signature = docs::Signature {
        capacity: capacity("Phó Chủ tịch"),
        name: "[người ký]".into(),
    };
    let fonts = fonts()?;
    if kind == TemplateKind::Certificate {
        let c = docs::CertificateDoc {
            form_title: "BẰNG KHEN".into(),
            body: docs::paras(&t.render("than", &v)),
            place_date: format!("Lâm Đồng, {}", date_in_words(day)),
            signature,
            reference: vec!["Quyết định số 123/QĐ-UBND ngày 20/11/2026".into()],
        };
        return Ok(docs::certificates_pdf(&[c], fonts)?);
    }
    let d = docs::DecisionDoc {
        heading: docs::Heading {
            body: vec!["ỦY BAN NHÂN DÂN".into(), "TỈNH LÂM ĐỒNG".into()],
            number: "123/QĐ-UBND".into(),
            place: "Lâm Đồng".into(),
            date_words: date_in_words(day),
        },
        summary: docs::paras(&t.render("trich_yeu", &v)),
        authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG".into(),
        body: docs::paras(&t.render("than", &v)),
        recipients: t
            .render("noi_nhan", &v)
            .into_iter()
            .map(|p| p.text)
            .collect(),
        signature,
        list: None,
    };
    Ok(docs::decision_pdf(&d, fonts)?)
}

/// A later decision that revokes or corrects awards of an earlier one.
pub struct Amendment {
    pub kind: DecisionKind,
    pub refers_to: DecisionId,
    /// Awards of the earlier decision it concerns.
    pub awards: Vec<i64>,
    /// For a correction: the corrected achievement text of each award.
    pub achievement: Option<String>,
    pub number: String,
    pub date: Date,
    pub signer: String,
    pub signer_title: String,
    pub reason: String,
}

/// Records a revocation or correction; the registry keeps both the
/// earlier lines (revoked, or superseded) and the new decision.
pub async fn amend(store: &Store, who: &Who, today: Date, a: &Amendment) -> AppResult<DecisionId> {
    if !a.kind.refers_to_earlier() {
        return Err(invalid(
            "kind",
            "Chỉ đính chính hoặc hủy bỏ một quyết định đã có",
        ));
    }
    let earlier = store
        .decision(a.refers_to)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("quyết định #{}", a.refers_to)))?;
    if a.reason.trim().is_empty() {
        return Err(invalid(
            "reason",
            "Hãy ghi lý do (Luật TĐKT: căn cứ hủy bỏ, đính chính)",
        ));
    }
    if a.date > today || a.date < earlier.decision_date {
        return Err(invalid(
            "date",
            "Ngày quyết định phải từ ngày quyết định gốc đến hôm nay",
        ));
    }
    if a.awards.is_empty() {
        return Err(invalid(
            "awards",
            "Hãy chọn ít nhất một dòng của quyết định gốc",
        ));
    }
    let lines = store.decision_lines(earlier.id).await?;
    for id in &a.awards {
        let Some(l) = lines
            .iter()
            .find(|l| l.award_id == *id && l.decision_id == Some(earlier.id.0))
        else {
            return Err(invalid(
                "awards",
                format!("dòng #{id} không thuộc quyết định {}", earlier.number),
            ));
        };
        if l.status != "active" {
            return Err(invalid(
                "awards",
                format!("{} đã bị hủy bỏ hoặc đính chính", l.subject_name),
            ));
        }
    }
    let issuer_unit = earlier.issuer_unit_id.map(UnitId);
    let (number, serial) = if a.number.trim().is_empty() {
        let symbol = DocumentNumber::parse(&earlier.number)
            .map(|n| dd::symbol_of(&n).to_owned())
            .unwrap_or_else(|_| SYMBOL_PROVINCE.to_owned());
        let (n, s) =
            next_number(store, &earlier.issuer, issuer_unit, a.date.year(), &symbol).await?;
        (n.to_string(), Some(s))
    } else {
        let n =
            DocumentNumber::parse(a.number.trim()).map_err(|e| invalid("number", e.to_string()))?;
        (n.to_string(), dd::serial_of(&n).map(i64::from))
    };
    let new = NewDecision {
        kind: a.kind,
        issuer: earlier.issuer.clone(),
        issuer_unit,
        number,
        serial,
        date: a.date,
        signer: a.signer.trim().to_owned(),
        signer_title: a.signer_title.trim().to_owned(),
        grounds: String::new(),
        proposer: String::new(),
        award_code: earlier.award_code.clone(),
        refers_to: Some(earlier.id.0),
        reason: Some(a.reason.trim().to_owned()),
        dossier: None,
        base_salary_vnd: earlier.base_salary_vnd,
    };
    let effect = match a.kind {
        DecisionKind::Revocation => DecisionEffect::Revoke(a.awards.clone()),
        _ => DecisionEffect::Correct(
            a.awards
                .iter()
                .filter_map(|id| lines.iter().find(|l| l.award_id == *id))
                .map(|l| {
                    (
                        l.award_id,
                        thidua_store::RegistryEntry {
                            subject: match (l.person_id, l.unit_id) {
                                (Some(p), _) => thidua_store::SubjectRef::Person(p),
                                (None, u) => thidua_store::SubjectRef::Unit(UnitId(u.unwrap_or(0))),
                            },
                            code: l.code.clone(),
                            annual_title: false,
                            period_from: l.period_from.unwrap_or(a.date.year()),
                            period_to: l.period_to.unwrap_or(a.date.year()),
                            award_type: l.award_type.clone(),
                            achievement: a.achievement.clone().or_else(|| l.achievement.clone()),
                            bonus_vnd: l.bonus_vnd,
                            subject_unit: l.subject_unit_id.map(UnitId),
                            movement: None,
                        },
                    )
                })
                .collect(),
        ),
    };
    Ok(DecisionId(store.add_decision(who, &new, &effect).await?))
}

/// What a user may do with a decision.
#[derive(Debug, Clone, Copy, Default)]
pub struct DecisionAccess {
    pub view: bool,
    /// Correct or revoke it by a later decision.
    pub amend: bool,
}

/// What `user` may do with a decision, as [`policy::decision_rights`]
/// decides it.
pub async fn access(
    store: &Store,
    user: &UserRow,
    d: &DecisionRow,
    today: Date,
) -> AppResult<DecisionAccess> {
    let issuer = match d.issuer_unit_id {
        Some(u) => match crate::auth::unit_object(store, UnitId(u), today).await? {
            Some(o) => policy::Issuer::Unit(o),
            None => policy::Issuer::Missing,
        },
        None => policy::Issuer::Central,
    };
    let object = match (d.dossier_id, issuer) {
        (Some(id), issuer) => policy::DecisionObject::OnDossier {
            dossier_visible: match store.dossier(DossierId(id)).await? {
                Some(dossier) => {
                    crate::dossiers::access(store, user, &dossier, today)
                        .await?
                        .view
                }
                None => false,
            },
            issuer,
        },
        (None, policy::Issuer::Central) => {
            let mut units: Vec<i64> = store
                .decision_lines(d.id)
                .await?
                .iter()
                .filter_map(|l| l.subject_unit_id)
                .collect();
            units.sort_unstable();
            units.dedup();
            let mut subjects = Vec::new();
            for u in units {
                subjects.extend(crate::auth::unit_object(store, UnitId(u), today).await?);
            }
            policy::DecisionObject::Central { subjects }
        }
        (None, issuer) => policy::DecisionObject::Provincial { issuer },
    };
    let rights = policy::decision_rights(&crate::auth::actor(store, user, today).await?, &object);
    Ok(DecisionAccess {
        view: rights.view,
        amend: rights.amend,
    })
}

#[cfg(test)]
pub(crate) mod tests;
