//! A dossier end to end on a real store, on both engines: drafting,
//! verdicts and overrides, scope, a return for completion, posting with
//! feedback, the council's vote, the decision entering the registry; the
//! audit log holding one entry per step; and two appraisers at once.

use super::*;
use crate::decisions::ISSUER_PROVINCE;
use crate::{AppError, AppResult};
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{DossierAction, DossierState, LineStatus, VoteChoice};
use thidua_domain::eligibility::Outcome;
use thidua_domain::policy::Role;
use thidua_store::{DossierHeader, Store, SubjectRef, UserRow, Who};
use time::Date;

use crate::auth::create_user;
use thidua_domain::date::Period;
use thidua_domain::eligibility::Rating;
use thidua_domain::org::{UnitCode, UnitId, UnitKind};
use thidua_domain::person::PersonName;
use thidua_store::{AuditFilter, NewPerson, NewTitle, NewUnit, engine_tests};
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 02);

fn sys() -> Who {
    Who::system("test")
}

struct World {
    province: UnitId,
    commune: UnitId,
    other: UnitId,
    hen: i64,
    binh: i64,
    unit_officer: UserRow,
    other_officer: UserRow,
    appraiser: UserRow,
    appraiser2: UserRow,
    members: [UserRow; 2],
    leader: UserRow,
}

async fn unit(
    store: &Store,
    code: &str,
    kind: UnitKind,
    name: &str,
    parent: Option<UnitId>,
) -> UnitId {
    store
        .create_unit(
            &sys(),
            &NewUnit {
                code: UnitCode::parse(code).unwrap(),
                kind,
                admin_type: None,
                name: name.into(),
                short_name: None,
                parent,
                valid_from: None,
            },
        )
        .await
        .unwrap()
}

async fn person(store: &Store, name: &str, at: UnitId) -> i64 {
    let id = store
        .insert_person(
            &sys(),
            &NewPerson {
                category: None,
                name: PersonName::parse(name).unwrap(),
                gender: None,
                birth_date: Some(date!(1988 - 03 - 14)),
                ethnicity: None,
                id_number: None,
                position: None,
            },
        )
        .await
        .unwrap();
    store
        .add_membership(
            &sys(),
            id,
            at,
            Some("Công chức"),
            Period {
                from: Some(date!(2015 - 01 - 01)),
                until: None,
            },
        )
        .await
        .unwrap();
    id
}

async fn user(store: &Store, login: &str, role: Role, at: UnitId) -> UserRow {
    create_user(
        store,
        &sys(),
        login,
        login,
        role,
        Some(at),
        "mật khẩu đủ dài 123",
    )
    .await
    .unwrap();
    store.user_for_login(login).await.unwrap().unwrap().0
}

async fn world(store: &Store) -> World {
    crate::eligibility::ensure_catalogue(store, &sys())
        .await
        .unwrap();
    let province = unit(store, "T1", UnitKind::Province, "Tỉnh Thử", None).await;
    let commune = unit(store, "X1", UnitKind::Commune, "Xã Thử", Some(province)).await;
    let other = unit(store, "X2", UnitKind::Commune, "Xã Bên", Some(province)).await;
    let hen = person(store, "H'Hen Niê", commune).await;
    let binh = person(store, "Hà Văn Bình", commune).await;
    for year in [2024, 2025] {
        store
            .set_rating(
                &sys(),
                hen,
                year,
                Rating::CompletedExcellently,
                Some(commune),
            )
            .await
            .unwrap();
        store
            .add_title(
                &sys(),
                &NewTitle {
                    subject: SubjectRef::Person(hen),
                    year,
                    code: "CHIEN_SI_THI_DUA_CO_SO".into(),
                    decision_number: Some(format!("{}/QĐ-UBND", year - 2000)),
                    decision_date: Some(date!(2025 - 12 - 20)),
                },
            )
            .await
            .unwrap();
    }
    World {
        province,
        commune,
        other,
        hen,
        binh,
        unit_officer: user(store, "yquang", Role::UnitOfficer, commune).await,
        other_officer: user(store, "khac", Role::UnitOfficer, other).await,
        appraiser: user(store, "hoa", Role::ProvinceOfficer, province).await,
        appraiser2: user(store, "hoa2", Role::ProvinceOfficer, province).await,
        members: [
            user(store, "hung", Role::CouncilMember, province).await,
            user(store, "thu", Role::CouncilMember, province).await,
        ],
        leader: user(store, "minh", Role::Leader, province).await,
    }
}

fn by<'a>(u: &'a UserRow, who: &'a Who, today: Date) -> By<'a> {
    By {
        user: u,
        who,
        today,
    }
}

fn who_of(u: &UserRow) -> Who {
    Who {
        user_id: Some(u.id),
        login: u.login.clone(),
        ip: None,
    }
}

fn header(letter: Option<&str>) -> DossierHeader {
    DossierHeader {
        title: "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm 2025".into(),
        letter_number: letter.map(str::to_owned),
        letter_date: letter.map(|_| date!(2026 - 10 - 30)),
        letter_signer: letter.map(|_| "Nguyễn Văn Chủ tịch".to_owned()),
        ..Default::default()
    }
}

async fn step(
    store: &Store,
    u: &UserRow,
    id: DossierId,
    action: DossierAction,
    f: impl FnOnce(&mut StepInput),
    today: Date,
) -> AppResult<DossierState> {
    let version = store.dossier(id).await.unwrap().unwrap().version;
    let mut input = StepInput {
        action: Some(action),
        version,
        ..Default::default()
    };
    f(&mut input);
    let who = who_of(u);
    take_step(store, &by(u, &who, today), id, &input).await
}

fn message(e: AppError) -> String {
    e.to_string()
}

/// Drafts a dossier with the two people and submits it.
async fn submitted(store: &Store, w: &World) -> (DossierId, i64, i64) {
    let who = who_of(&w.unit_officer);
    let b = by(&w.unit_officer, &who, TODAY);
    let id = create(store, &b, w.commune, &header(Some("12/TTr-UBND")))
        .await
        .unwrap();
    let hen_line = add_line(
        store,
        &b,
        id,
        &LineInput {
            subject: SubjectRef::Person(w.hen),
            code: "BANG_KHEN_TINH".into(),
            period_from: 2024,
            period_to: 2025,
            summary: "Hai năm liền Chiến sĩ thi đua cơ sở".into(),
            achievement: None,
        },
    )
    .await
    .unwrap();
    let binh_line = add_line(
        store,
        &b,
        id,
        &LineInput {
            subject: SubjectRef::Person(w.binh),
            code: "BANG_KHEN_TINH".into(),
            period_from: 2024,
            period_to: 2025,
            summary: String::new(),
            achievement: None,
        },
    )
    .await
    .unwrap();
    // Bình has no record: the engine says no, and no reason is given.
    let err = step(
        store,
        &w.unit_officer,
        id,
        DossierAction::Submit,
        |_| {},
        TODAY,
    )
    .await
    .unwrap_err();
    assert!(message(err).contains("Hà Văn Bình"));
    store
        .update_dossier_line(
            &who,
            id,
            binh_line,
            "Cứu người trong lũ tháng 9/2025",
            Some("Thành tích đột xuất, hồ sơ kèm theo"),
        )
        .await
        .unwrap();
    step(
        store,
        &w.unit_officer,
        id,
        DossierAction::Submit,
        |_| {},
        TODAY,
    )
    .await
    .unwrap();
    (id, hen_line, binh_line)
}

engine_tests!(
    a_dossier_travels_from_draft_to_decision,
    |store| async move {
        let w = world(store).await;
        let who = who_of(&w.unit_officer);
        let b = by(&w.unit_officer, &who, TODAY);
        // Submitting without a letter is refused.
        let bare = create(store, &b, w.commune, &header(None)).await.unwrap();
        let err = step(
            store,
            &w.unit_officer,
            bare,
            DossierAction::Submit,
            |_| {},
            TODAY,
        )
        .await
        .unwrap_err();
        assert!(
            message(err).contains("Hồ sơ chưa có đối tượng"),
            "no lines first"
        );
        // Another unit's officer and the province do not see a draft.
        assert!(matches!(
            visible(store, &w.other_officer, bare, TODAY).await,
            Err(AppError::NotFound(_))
        ));
        assert!(matches!(
            visible(store, &w.appraiser, bare, TODAY).await,
            Err(AppError::NotFound(_))
        ));

        let (id, hen_line, binh_line) = submitted(store, &w).await;
        let lines = store.dossier_lines(id).await.unwrap();
        let hen = lines.iter().find(|l| l.id == hen_line).unwrap();
        assert_eq!(hen.outcome, Some(Outcome::Eligible), "{:?}", hen.verdict);
        assert_eq!(
            lines.iter().find(|l| l.id == binh_line).unwrap().outcome,
            Some(Outcome::NotEligible)
        );
        // Now the province sees it, another commune still does not.
        visible(store, &w.appraiser, id, TODAY).await.unwrap();
        assert!(matches!(
            visible(store, &w.other_officer, id, TODAY).await,
            Err(AppError::NotFound(_))
        ));
        // The unit cannot receive its own dossier.
        assert!(matches!(
            step(
                store,
                &w.unit_officer,
                id,
                DossierAction::Receive,
                |i| i.receipt_number = "1".into(),
                TODAY
            )
            .await,
            Err(AppError::Denied(_))
        ));
        // Out of order: posting before appraisal.
        let err = step(store, &w.appraiser, id, DossierAction::Post, |_| {}, TODAY)
            .await
            .unwrap_err();
        assert!(message(err).contains("không thể «Công khai»"));

        step(
            store,
            &w.appraiser,
            id,
            DossierAction::Receive,
            |i| i.receipt_number = "TN-2026-0415".into(),
            TODAY,
        )
        .await
        .unwrap();
        step(
            store,
            &w.appraiser,
            id,
            DossierAction::StartAppraisal,
            |_| {},
            date!(2026 - 11 - 03),
        )
        .await
        .unwrap();
        // A second proposal of H'Hen elsewhere is flagged in this one.
        let v = view(store, id, TODAY).await.unwrap();
        assert!(
            v.lines
                .iter()
                .all(|l| l.warnings.iter().all(|w| w.kind != "open_proposal"))
        );
        // Return Bình's line for completion: reason required.
        let err = step(
            store,
            &w.appraiser,
            id,
            DossierAction::Return,
            |i| i.lines = vec![binh_line],
            date!(2026 - 11 - 04),
        )
        .await
        .unwrap_err();
        assert!(message(err).contains("lý do trả lại"));
        step(
            store,
            &w.appraiser,
            id,
            DossierAction::Return,
            |i| {
                i.lines = vec![binh_line];
                i.note = "Bổ sung xác nhận của địa phương về thành tích cứu người".into();
            },
            date!(2026 - 11 - 04),
        )
        .await
        .unwrap();
        // Resubmitting without completing the line is refused.
        let err = step(
            store,
            &w.unit_officer,
            id,
            DossierAction::Resubmit,
            |_| {},
            date!(2026 - 11 - 09),
        )
        .await
        .unwrap_err();
        assert!(message(err).contains("chưa bổ sung"));
        // The document asked for, attached to the line, completes it.
        let officer_who = who_of(&w.unit_officer);
        super::attach(
            store,
            &by(&w.unit_officer, &officer_who, date!(2026 - 11 - 09)),
            id,
            "other",
            Some(binh_line),
            "xac-nhan.pdf",
            &super::sample_pdf("Xác nhận của UBND xã"),
        )
        .await
        .unwrap();
        step(
            store,
            &w.unit_officer,
            id,
            DossierAction::Resubmit,
            |_| {},
            date!(2026 - 11 - 09),
        )
        .await
        .unwrap();
        // The clock paused from 04/11 to 09/11: 2 days, then 0 days since.
        let v = view(store, id, date!(2026 - 11 - 09)).await.unwrap();
        assert_eq!(v.deadline.used, 2);

        // Posting needs at least five working days.
        let err = step(
            store,
            &w.appraiser,
            id,
            DossierAction::Post,
            |i| {
                i.from = Some(date!(2026 - 11 - 10));
                i.until = Some(date!(2026 - 11 - 12));
            },
            date!(2026 - 11 - 10),
        )
        .await
        .unwrap_err();
        assert!(message(err).contains("cần ít nhất 5"));
        // Nor can it start before today.
        let err = step(
            store,
            &w.appraiser,
            id,
            DossierAction::Post,
            |i| {
                i.from = Some(date!(2026 - 11 - 03));
                i.until = Some(date!(2026 - 11 - 20));
            },
            date!(2026 - 11 - 10),
        )
        .await
        .unwrap_err();
        assert!(message(err).contains("lùi ngày"), "backdated");
        step(
            store,
            &w.appraiser,
            id,
            DossierAction::Post,
            |i| {
                i.from = Some(date!(2026 - 11 - 10));
                i.until = Some(date!(2026 - 11 - 16));
            },
            date!(2026 - 11 - 10),
        )
        .await
        .unwrap();
        // Issue 17, finding 4: public only while posted — not the day
        // before the posting begins, nor the day after it ends.
        for (day, shown) in [
            (date!(2026 - 11 - 09), false),
            (date!(2026 - 11 - 10), true),
            (date!(2026 - 11 - 16), true),
            (date!(2026 - 11 - 17), false),
        ] {
            let (lines, total) = store.posted_lines_on(day, 0, 100).await.unwrap();
            let here = lines.iter().any(|l| l.line.id == hen_line);
            assert_eq!(here, shown, "{day}");
            assert!(total as usize >= lines.len());
        }
        let early = store
            .add_feedback(
                &Who::system("public"),
                id,
                Some(hen_line),
                "Người dân",
                "",
                "Ý kiến gửi trước ngày công khai.",
                "hash",
                date!(2026 - 11 - 09),
            )
            .await;
        assert!(
            matches!(early, Err(thidua_store::StoreError::Conflict(_))),
            "{early:?}"
        );
        // An unknown line is a refusal, not a broken foreign key (500).
        let unknown = store
            .add_feedback(
                &Who::system("public"),
                id,
                Some(987_654),
                "Người dân",
                "",
                "Ý kiến về một dòng không có.",
                "hash",
                date!(2026 - 11 - 12),
            )
            .await;
        assert!(
            matches!(unknown, Err(thidua_store::StoreError::NotFound(_))),
            "{unknown:?}"
        );
        store
            .add_feedback(
                &Who::system("public"),
                id,
                Some(hen_line),
                "Người dân",
                "",
                "Chị Hen rất tận tụy với bà con.",
                "hash",
                date!(2026 - 11 - 12),
            )
            .await
            .unwrap();
        let err = step(
            store,
            &w.appraiser,
            id,
            DossierAction::OpenCouncil,
            |_| {},
            date!(2026 - 11 - 13),
        )
        .await
        .unwrap_err();
        assert!(message(err).contains("Chưa hết thời gian công khai"));
        step(
            store,
            &w.appraiser,
            id,
            DossierAction::OpenCouncil,
            |_| {},
            date!(2026 - 11 - 16),
        )
        .await
        .unwrap();

        // The council: two members; a leader cannot vote; nobody votes twice.
        let vote_as = |u: &UserRow, line: i64, c: VoteChoice| {
            let who = who_of(u);
            let u = u.clone();
            async move { vote(store, &by(&u, &who, date!(2026 - 11 - 17)), id, line, c).await }
        };
        vote_as(&w.members[0], hen_line, VoteChoice::Agree)
            .await
            .unwrap();
        vote_as(&w.members[1], hen_line, VoteChoice::Agree)
            .await
            .unwrap();
        vote_as(&w.members[0], binh_line, VoteChoice::Agree)
            .await
            .unwrap();
        vote_as(&w.members[1], binh_line, VoteChoice::Disagree)
            .await
            .unwrap();
        assert!(
            vote_as(&w.members[1], binh_line, VoteChoice::Agree)
                .await
                .is_err()
        );
        assert!(
            vote_as(&w.leader, hen_line, VoteChoice::Agree)
                .await
                .is_err()
        );
        step(
            store,
            &w.appraiser,
            id,
            DossierAction::ConcludeVote,
            |_| {},
            date!(2026 - 11 - 17),
        )
        .await
        .unwrap();
        let lines = store.dossier_lines(id).await.unwrap();
        let status = |l: i64| lines.iter().find(|x| x.id == l).unwrap().status;
        assert_eq!(status(hen_line), LineStatus::CouncilPassed);
        // One of two is not more than half.
        assert_eq!(status(binh_line), LineStatus::CouncilFailed);

        // The appraiser cannot approve; the leader does, and signs.
        assert!(matches!(
            step(
                store,
                &w.appraiser,
                id,
                DossierAction::Approve,
                |_| {},
                date!(2026 - 11 - 18)
            )
            .await,
            Err(AppError::Denied(_))
        ));
        step(
            store,
            &w.leader,
            id,
            DossierAction::Approve,
            |_| {},
            date!(2026 - 11 - 18),
        )
        .await
        .unwrap();
        let err = step(
            store,
            &w.leader,
            id,
            DossierAction::IssueDecision,
            |i| i.number = "123".into(),
            date!(2026 - 11 - 18),
        )
        .await
        .unwrap_err();
        assert!(message(err).contains("số văn bản không hợp lệ"));
        step(
            store,
            &w.leader,
            id,
            DossierAction::IssueDecision,
            |i| {
                i.number = "123/QĐ-UBND".into();
                i.date = Some(date!(2026 - 11 - 18));
                i.signer = "Phạm Thị Minh".into();
            },
            date!(2026 - 11 - 18),
        )
        .await
        .unwrap();
        let d = store.dossier(id).await.unwrap().unwrap();
        assert_eq!(d.state, DossierState::Decided);
        assert_eq!(d.decision_issuer.as_deref(), Some(ISSUER_PROVINCE));
        let reg = store.registry(SubjectRef::Person(w.hen)).await.unwrap();
        let award = reg
            .awards
            .iter()
            .find(|a| a.code == "BANG_KHEN_TINH")
            .expect("in the registry");
        assert_eq!(award.decision_number.as_deref(), Some("123/QĐ-UBND"));
        assert_eq!(
            (award.period_from, award.period_to),
            (Some(2024), Some(2025))
        );
        assert!(
            store
                .registry(SubjectRef::Person(w.binh))
                .await
                .unwrap()
                .awards
                .is_empty()
        );
        // Proposing H'Hen again for the same years is flagged.
        let again = create(store, &b, w.commune, &header(Some("13/TTr-UBND")))
            .await
            .unwrap();
        let l = add_line(
            store,
            &b,
            again,
            &LineInput {
                subject: SubjectRef::Person(w.hen),
                code: "BANG_KHEN_TINH".into(),
                period_from: 2025,
                period_to: 2025,
                summary: String::new(),
                achievement: None,
            },
        )
        .await
        .unwrap();
        let v = view(store, again, date!(2026 - 11 - 18)).await.unwrap();
        let warn = &v.lines.iter().find(|x| x.line.id == l).unwrap().warnings;
        assert!(
            warn.iter()
                .any(|w| w.kind == "already_rewarded" && w.message.contains("123/QĐ-UBND")),
            "{warn:?}"
        );

        // The timeline has every step; the audit log one transition per step.
        let steps = store
            .dossier_events(id)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.from_state.is_some())
            .count();
        assert_eq!(steps, 10);
        let (_, audited) = store
            .audit_page(
                &AuditFilter {
                    action: Some("dossier.transition".into()),
                    object_id: Some(id.to_string()),
                    ..Default::default()
                },
                0,
                100,
            )
            .await
            .unwrap();
        assert_eq!(audited, 10);
        // The unit heard of the return, the posting, the vote and the decision.
        let kinds: Vec<String> = store
            .notifications(w.unit_officer.id, 50)
            .await
            .unwrap()
            .into_iter()
            .filter(|n| n.dossier_id == Some(id.0))
            .map(|n| n.kind)
            .collect();
        for k in ["returned", "posted", "voted", "decided"] {
            assert!(kinds.iter().any(|x| x == k), "{k} in {kinds:?}");
        }
        assert!(
            store
                .outbox()
                .await
                .unwrap()
                .iter()
                .any(|(to, ..)| to == "yquang")
        );
        // Nothing ever reached the other commune's officer.
        assert!(
            store
                .notifications(w.other_officer.id, 50)
                .await
                .unwrap()
                .is_empty()
        );
        let _ = w.other;
        // The decision is a record of its own, printed and revocable.
        crate::decisions::tests::the_issued_decision_prints_and_can_be_revoked(
            store,
            id,
            w.hen,
            date!(2026 - 11 - 19),
        )
        .await;
    }
);

mod award_types;
mod lists;
mod races_and_files;
