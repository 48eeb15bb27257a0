//! The demo's emulation block: Cao Bằng's departments of general affairs in
//! 2025, with a scoring sheet in the provinces' usual shape (tasks, the
//! emulation work, bonus and penalty), every member self-scored, cross-scored
//! by the head and finalised by the office, so the ranking and its leader
//! are there to see (journey 4). 2026's block is open, its sheet set, for
//! Chị Lan to self-score.

use crate::clusters::{self, Scoring, Stage};
use crate::movements::Enterer;
use crate::{AppError, AppResult};
use thidua_domain::cluster::{
    Achieved, Criterion, CriterionKind, Entry, Group, Level, Points, Sheet,
};
use thidua_domain::cluster::{ClusterKind, MemberRole};
use thidua_domain::eligibility::Rating;
use thidua_domain::org::UnitId;
use thidua_store::{NewCluster, Store, Who};
use time::Date;

fn pts(hundredths: i64) -> Points {
    Points(hundredths)
}

/// The block's sheet: 100 points plus up to 5 of bonus, less up to 5.
pub fn sheet() -> Sheet {
    let c = |code: &str, name: &str, max: i64, kind: CriterionKind, evidence: bool| Criterion {
        code: code.into(),
        name: name.into(),
        max: pts(max),
        kind,
        evidence_required: evidence,
    };
    let levels = |top: i64| CriterionKind::Levels {
        levels: vec![
            Level {
                label: "Hoàn thành xuất sắc".into(),
                points: pts(top),
            },
            Level {
                label: "Hoàn thành tốt".into(),
                points: pts(top * 8 / 10),
            },
            Level {
                label: "Hoàn thành".into(),
                points: pts(top / 2),
            },
            Level {
                label: "Không hoàn thành".into(),
                points: pts(0),
            },
        ],
    };
    Sheet {
        groups: vec![
            Group {
                code: "I".into(),
                name: "Thực hiện nhiệm vụ chính trị được giao".into(),
                criteria: vec![
                    c(
                        "I.1",
                        "Kết quả thực hiện nhiệm vụ chuyên môn năm",
                        4000,
                        levels(4000),
                        true,
                    ),
                    c(
                        "I.2",
                        "Giải ngân vốn đầu tư công so với kế hoạch (%)",
                        2000,
                        CriterionKind::Proportional { target: 100.0 },
                        true,
                    ),
                    c(
                        "I.3",
                        "Cải cách hành chính, chuyển đổi số",
                        1000,
                        levels(1000),
                        false,
                    ),
                ],
            },
            Group {
                code: "II".into(),
                name: "Công tác thi đua, khen thưởng".into(),
                criteria: vec![
                    c(
                        "II.1",
                        "Ban hành kế hoạch, phát động phong trào thi đua",
                        1000,
                        CriterionKind::Fixed,
                        false,
                    ),
                    c(
                        "II.2",
                        "Sơ kết, tổng kết; nhân rộng điển hình tiên tiến",
                        1000,
                        levels(1000),
                        false,
                    ),
                ],
            },
            Group {
                code: "III".into(),
                name: "Xây dựng cơ quan, đơn vị".into(),
                criteria: vec![c(
                    "III.1",
                    "Đoàn kết nội bộ, tổ chức Đảng, đoàn thể vững mạnh",
                    1000,
                    CriterionKind::Fixed,
                    false,
                )],
            },
            Group {
                code: "IV".into(),
                name: "Điểm thưởng, điểm trừ".into(),
                criteria: vec![
                    c(
                        "IV.1",
                        "Mô hình mới, cách làm hay được tỉnh công nhận",
                        500,
                        CriterionKind::Bonus,
                        true,
                    ),
                    c(
                        "IV.2",
                        "Chậm báo cáo, vi phạm bị nhắc nhở",
                        500,
                        CriterionKind::Penalty,
                        false,
                    ),
                ],
            },
        ],
    }
}

/// A member's year: levels for I.1, I.3, II.2; disbursement %; bonus; penalty.
fn achieved(levels: [&str; 3], disbursed: f64, bonus: i64, penalty: i64) -> Vec<Entry> {
    let e = |code: &str, achieved: Achieved| Entry {
        criterion: code.into(),
        achieved,
        evidence: vec![format!("bao-cao-{code}.pdf")],
    };
    vec![
        e("I.1", Achieved::Level(levels[0].into())),
        e("I.2", Achieved::Amount(disbursed)),
        e("I.3", Achieved::Level(levels[1].into())),
        e("II.1", Achieved::Met(true)),
        e("II.2", Achieved::Level(levels[2].into())),
        e("III.1", Achieved::Met(true)),
        e("IV.1", Achieved::Points(pts(bonus))),
        e("IV.2", Achieved::Points(pts(penalty))),
    ]
}

const XS: &str = "Hoàn thành xuất sắc";
const TOT: &str = "Hoàn thành tốt";
const XS_UNIT: Rating = Rating::CompletedExcellently;
const TOT_UNIT: Rating = Rating::CompletedWell;

pub async fn seed(store: &Store, who: &Who, today: Date) -> AppResult<usize> {
    let unit = |code: &'static str| async move {
        store
            .resolve_code(code, None, today)
            .await?
            .map(|u| u.id)
            .ok_or_else(|| AppError::Demo(format!("thiếu đơn vị {code}")))
    };
    let members = [
        ("CB.STC", MemberRole::Head),
        ("CB.SNV", MemberRole::Deputy),
        ("CB.SYT", MemberRole::Member),
        ("CB.SGDDT", MemberRole::Member),
        ("CB.SNNMT", MemberRole::Member),
    ];
    let mut units: Vec<(UnitId, MemberRole)> = Vec::new();
    for (code, role) in members {
        units.push((unit(code).await?, role));
    }
    let authority = unit("04").await?;
    let mut made = 0;
    for (year, covenant) in [
        (2025, "Giao ước thi đua năm 2025, ký ngày 20/02/2025"),
        (2026, "Giao ước thi đua năm 2026, ký ngày 12/02/2026"),
    ] {
        let id = clusters::create(
            store,
            who,
            Enterer::System,
            today,
            &NewCluster {
                code: "CB-K1".into(),
                year,
                name: "Khối các sở, ngành tổng hợp".into(),
                kind: ClusterKind::Block,
                authority,
                council_member: None,
                covenant: covenant.into(),
                regulation: "Quyết định số 589/QĐ-UBND ngày 25/5/2018 ban hành Quy chế tổ chức và hoạt động của khối, cụm thi đua".into(),
                flag_count: 1,
                disagreement_threshold: 200,
                members: units.clone(),
                sheet: None,
            },
        )
        .await?;
        clusters::set_sheet(store, who, Enterer::System, today, id, &sheet()).await?;
        made += 1;
        if year != 2025 {
            continue;
        }
        // (self, head, final) per member, in the members' order.
        let scores = [
            (
                achieved([XS, XS, XS], 96.0, 400, 0),
                achieved([XS, TOT, XS], 96.0, 300, 0),
                achieved([XS, TOT, XS], 96.0, 300, 0),
            ),
            (
                achieved([XS, XS, TOT], 100.0, 0, 0),
                achieved([XS, XS, TOT], 100.0, 0, 0),
                achieved([XS, XS, TOT], 100.0, 0, 0),
            ),
            (
                achieved([XS, XS, XS], 88.0, 200, 0),
                achieved([TOT, XS, XS], 88.0, 200, 100),
                achieved([TOT, XS, XS], 88.0, 200, 100),
            ),
            (
                achieved([TOT, TOT, TOT], 92.0, 0, 0),
                achieved([TOT, TOT, TOT], 92.0, 0, 0),
                achieved([TOT, TOT, TOT], 92.0, 0, 0),
            ),
            (
                achieved([XS, TOT, TOT], 75.0, 0, 0),
                achieved([XS, TOT, TOT], 75.0, 0, 200),
                achieved([XS, TOT, TOT], 75.0, 0, 200),
            ),
        ];
        for ((unit, _), (own, head, fin)) in units.iter().zip(scores) {
            for (stage, entries) in [
                (Stage::SelfScore, own),
                (Stage::Head, head),
                (Stage::Final, fin),
            ] {
                clusters::score(
                    store,
                    who,
                    Enterer::System,
                    today,
                    Scoring {
                        cluster: id,
                        unit: unit.0,
                        stage,
                        entries: &entries,
                        reason: None,
                        files: &[],
                    },
                )
                .await?;
            }
        }
        clusters::finalise(
            store,
            who,
            Enterer::System,
            today,
            id,
            Some("Biên bản họp bình xét số 03/BB-KTH ngày 10/12/2025"),
        )
        .await?;
        // The collectives' ratings for 2025, which the flag requires.
        for ((unit, _), rating) in units
            .iter()
            .zip([XS_UNIT, XS_UNIT, XS_UNIT, TOT_UNIT, TOT_UNIT])
        {
            store.set_unit_rating(who, *unit, 2025, rating).await?;
        }
    }
    Ok(made)
}
