//! A decision as paper: the words of the administrators' templates with
//! the issuing office's heading, authority line, signature block and legal
//! grounds of its era, laid out as PDF or DOCX; the certificates of its
//! lines; a template tried before it is saved.

use super::common::{fonts, form_name, template};
use super::office::{OfficeWords, office_of};
use crate::{AppError, AppResult, invalid};
use thidua_documents as docs;
use thidua_domain::decision::{self as dd, DecisionId, DecisionKind};
use thidua_domain::template::{Template, TemplateKind, Values, date_in_words};
use thidua_domain::{VnDate, number};
use thidua_store::{DecisionLineRow, DecisionRow, Store};

/// Everything a decision's documents are made of.
pub struct DecisionPaper {
    pub decision: DecisionRow,
    pub lines: Vec<DecisionLineRow>,
    pub earlier: Option<DecisionRow>,
    pub full_issuer: String,
    pub place: String,
    /// The bonuses of the lines, in đồng.
    pub total_vnd: i64,
    pub office: thidua_domain::issuer::Office,
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
    let office = office_of(store, &decision).await?;
    let full_issuer = office.name();
    let place = office.place();
    let heading_body = office.heading();
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
    v.insert("nguoi_co_tham_quyen", full_issuer.to_uppercase());
    let central = matches!(
        office.authority,
        thidua_domain::eligibility::catalogue::Authority::ThuTuong
            | thidua_domain::eligibility::catalogue::Authority::ChuTichNuoc
    );
    let merit = merit_words(store, &decision, &lines, if central { "" } else { &place }).await?;
    OfficeWords::fill(&mut v, &office, &decision, &merit);
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
        office,
        heading_body,
        form,
        values: v,
    })
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

fn template_kind(kind: DecisionKind, office: &thidua_domain::issuer::Office) -> TemplateKind {
    use thidua_domain::eligibility::catalogue::Authority;
    match kind {
        DecisionKind::Award
            if matches!(
                office.authority,
                Authority::ThuTuong | Authority::ChuTichNuoc
            ) =>
        {
            TemplateKind::CentralDecision
        }
        DecisionKind::Award => TemplateKind::Decision,
        DecisionKind::Revocation => TemplateKind::Revocation,
        DecisionKind::Correction => TemplateKind::Correction,
    }
}

/// The decision as laid out: words from the template, the list attached.
pub async fn decision_doc(store: &Store, p: &DecisionPaper) -> AppResult<docs::DecisionDoc> {
    let t = template(store, template_kind(p.decision.kind(), &p.office)).await?;
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
        summary: docs::paras(&rendered(&t, "trich_yeu", &p.values)?),
        authority: p.office.authority_line(),
        body: docs::paras(&rendered(&t, "than", &p.values)?),
        recipients: rendered(&t, "noi_nhan", &p.values)?
            .into_iter()
            .map(|x| x.text.trim_start_matches("- ").to_owned())
            .collect(),
        signature: docs::Signature {
            capacity: p.office.signature(&d.signer_title),
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
            body: docs::paras(&rendered(&t, "than", &v)?),
            place_date: format!("{}, {}", p.place, date_in_words(d.decision_date)),
            signature: docs::Signature {
                capacity: p.office.signature(&d.signer_title),
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
    let sample = thidua_domain::issuer::Office::of_unit(
        thidua_domain::org::UnitKind::Province,
        "tỉnh Lâm Đồng",
        None,
    )
    .ok_or_else(|| AppError::Internal("no provincial office".into()))?;
    let signature = docs::Signature {
        capacity: sample.signature("Phó Chủ tịch"),
        name: "[người ký]".into(),
    };
    let fonts = fonts()?;
    if kind == TemplateKind::Certificate {
        let c = docs::CertificateDoc {
            form_title: "BẰNG KHEN".into(),
            body: docs::paras(&rendered(&t, "than", &v)?),
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
        summary: docs::paras(&rendered(&t, "trich_yeu", &v)?),
        authority: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG".into(),
        body: docs::paras(&rendered(&t, "than", &v)?),
        recipients: rendered(&t, "noi_nhan", &v)?
            .into_iter()
            .map(|p| p.text)
            .collect(),
        signature,
        list: None,
    };
    Ok(docs::decision_pdf(&d, fonts)?)
}

/// A section of a template with the values put in; a template that needs
/// a value the decision lacks is the administrators' to fix, and says so.
fn rendered(
    t: &Template,
    section: &str,
    v: &Values,
) -> AppResult<Vec<thidua_domain::template::Paragraph>> {
    t.render(section, v)
        .map_err(|e| invalid("template", format!("Mẫu «{}»: {e}", t.kind().label())))
}

/// Điều 1's closing words: what the awards are for, by the lines' type of
/// award and the dossier's movement.
async fn merit_words(
    store: &Store,
    d: &DecisionRow,
    lines: &[DecisionLineRow],
    place: &str,
) -> AppResult<String> {
    let movement = match d.dossier_id {
        Some(id) => match store.dossier(thidua_domain::dossier::DossierId(id)).await? {
            Some(dossier) => match dossier.movement_id {
                Some(m) => store.movement(m).await?.map(|m| m.name),
                None => None,
            },
            None => None,
        },
        None => None,
    };
    let ty = lines.first().map_or("regular", |l| l.award_type.as_str());
    Ok(match (ty, movement) {
        ("thematic", Some(m)) => {
            format!("đã có thành tích xuất sắc trong phong trào thi đua «{m}»")
        }
        ("thematic", None) => "đã có thành tích xuất sắc trong phong trào thi đua".to_owned(),
        ("ad_hoc", _) => "đã có thành tích xuất sắc đột xuất".to_owned(),
        ("dedication", _) => "đã có quá trình cống hiến lâu dài".to_owned(),
        ("foreign", _) => "đã có nhiều đóng góp cho Việt Nam".to_owned(),
        _ => format!(
            "đã có thành tích xuất sắc trong công tác, góp phần vào sự nghiệp xây dựng và phát triển {}",
            if place.is_empty() {
                "đất nước".to_owned()
            } else {
                format!("của {place}")
            }
        ),
    })
}
