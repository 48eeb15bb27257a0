use super::*;
use proptest::prelude::*;
use std::collections::{BTreeSet, VecDeque};
use time::macros::date;

/// Applies a step as the role would: refused unless the diagram has it and
/// the role is on an allowed side.
fn apply(state: DossierState, role: Role, action: DossierAction) -> Option<DossierState> {
    let (to, sides) = next(state, action).ok()?;
    sides.iter().any(|s| s.may(role)).then_some(to)
}

#[test]
fn every_state_is_reachable_from_a_draft() {
    let mut seen = BTreeSet::from([DossierState::Draft.as_str()]);
    let mut queue = VecDeque::from([DossierState::Draft]);
    while let Some(s) = queue.pop_front() {
        for (from, _, to, _) in EDGES {
            if *from == s && seen.insert(to.as_str()) {
                queue.push_back(*to);
            }
        }
    }
    let all: BTreeSet<&str> = DossierState::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(seen, all);
}

#[test]
fn the_happy_path_and_its_sides() {
    use DossierAction::*;
    use Role::*;
    let path = [
        (UnitOfficer, Submit),
        (ProvinceOfficer, Receive),
        (ProvinceOfficer, StartAppraisal),
        (ProvinceOfficer, Return),
        (UnitOfficer, Resubmit),
        (ProvinceOfficer, Post),
        (ProvinceOfficer, OpenCouncil),
        (ProvinceOfficer, ConcludeVote),
        (Leader, Approve),
        (Leader, IssueDecision),
    ];
    let mut s = DossierState::Draft;
    for (role, a) in path {
        s = apply(s, role, a).unwrap_or_else(|| panic!("{role} {a} from {s}"));
    }
    assert_eq!(s, DossierState::Decided);
    // A unit officer cannot receive, a council member cannot approve, a
    // leader cannot submit.
    assert_eq!(apply(DossierState::Submitted, UnitOfficer, Receive), None);
    assert_eq!(
        apply(DossierState::PendingApproval, CouncilMember, Approve),
        None
    );
    assert_eq!(apply(DossierState::Draft, Leader, Submit), None);
    // Withdrawal only before appraisal.
    assert_eq!(
        apply(DossierState::UnderAppraisal, UnitOfficer, Withdraw),
        None
    );
    assert_eq!(
        next(DossierState::UnderAppraisal, Withdraw),
        Err(DossierError::NotNow {
            state: DossierState::UnderAppraisal,
            action: Withdraw
        })
    );
}

#[test]
fn the_clock_pauses_while_the_unit_completes_the_dossier() {
    let cal = WorkCalendar::default();
    let params = ProcedureParams::default();
    // Received Monday 02/11/2026, returned Friday 06/11 (4 days used),
    // back Monday 16/11, and today is Friday 20/11 (4 more).
    let passages = [
        Passage {
            on: date!(2026 - 10 - 30),
            to: DossierState::Submitted,
        },
        Passage {
            on: date!(2026 - 11 - 02),
            to: DossierState::Received,
        },
        Passage {
            on: date!(2026 - 11 - 06),
            to: DossierState::Returned,
        },
        Passage {
            on: date!(2026 - 11 - 16),
            to: DossierState::UnderAppraisal,
        },
    ];
    let d = deadline(
        &passages,
        DossierState::UnderAppraisal,
        date!(2026 - 11 - 20),
        &cal,
        &params,
    );
    assert_eq!(d.used, 8);
    assert_eq!(d.left, 17);
    assert_eq!(d.clock, Clock::Running);
    // 17 working days after Friday 20/11: 15/12.
    assert_eq!(d.step_due, Some(date!(2026 - 12 - 15)));
    assert!(!d.overdue);
    // While returned, the unit's 10 days run and the province's clock waits.
    let returned = deadline(
        &passages[..3],
        DossierState::Returned,
        date!(2026 - 11 - 25),
        &cal,
        &params,
    );
    assert_eq!(returned.used, 4);
    assert_eq!(returned.step_due, Some(date!(2026 - 11 - 20)));
    assert!(returned.step_overdue);
    assert!(!returned.overdue);
}

#[test]
fn a_dossier_past_its_limit_is_overdue() {
    let cal = WorkCalendar::default();
    let passages = [Passage {
        on: date!(2026 - 02 - 09),
        to: DossierState::Received,
    }];
    let params = ProcedureParams::default();
    let on_time = deadline(
        &passages,
        DossierState::Received,
        date!(2026 - 03 - 23),
        &cal,
        &params,
    );
    assert_eq!(on_time.left, 0);
    assert!(!on_time.overdue);
    let late = deadline(
        &passages,
        DossierState::Received,
        date!(2026 - 03 - 24),
        &cal,
        &params,
    );
    assert_eq!(late.left, -1);
    assert!(late.overdue);
}

#[test]
fn votes_count_against_all_members() {
    use VoteChoice::*;
    // 3 of 5 agree: more than half, but short of 70 %.
    let votes = [Agree, Agree, Agree, Disagree];
    assert!(tally(&votes, 5, 50).passed);
    assert!(!tally(&votes, 5, 70).passed);
    // Half is not more than half.
    assert!(!tally(&[Agree, Agree], 4, 50).passed);
    assert!(tally(&[Agree, Agree, Agree, Abstain], 4, 70).passed);
    assert!(!tally(&[], 0, 50).passed);
    assert_eq!(
        tally(&votes, 5, 70).to_string(),
        "3/5 đồng ý, 1 không đồng ý, 0 không biểu quyết (cần 70 %): không đạt"
    );
}

#[test]
fn params_know_their_figures() {
    let mut p = ProcedureParams::default();
    assert_eq!(p.get(PROCESS), 25);
    assert_eq!(p.vote_percent("CHIEN_SI_THI_DUA_TINH"), 70);
    assert_eq!(p.vote_percent("BANG_KHEN_TINH"), 50);
    assert!(p.set(POSTING, 0));
    assert!(!p.set("nope", 1));
    assert_eq!(p.get(POSTING), 0);
}

fn any_role() -> impl Strategy<Value = Role> {
    proptest::sample::select(Role::ALL.to_vec())
}

fn any_action() -> impl Strategy<Value = DossierAction> {
    proptest::sample::select(DossierAction::ALL.to_vec())
}

proptest! {
    /// Whatever people try, a dossier only moves along the diagram, and
    /// only by a role of the side the diagram names.
    #[test]
    fn no_sequence_leaves_the_diagram(steps in proptest::collection::vec((any_role(), any_action()), 0..60)) {
        let mut s = DossierState::Draft;
        for (role, a) in steps {
            if let Some(to) = apply(s, role, a) {
                prop_assert!(EDGES.iter().any(|(f, x, t, side)| *f == s && *x == a && *t == to && side.may(role)));
                s = to;
            } else {
                prop_assert!(!EDGES.iter().any(|(f, x, _, side)| *f == s && *x == a && side.may(role)));
            }
            if s.is_final() {
                prop_assert!(DossierAction::ALL.iter().all(|a| next(s, *a).is_err()));
            }
        }
    }
}

#[test]
fn every_reachable_state_is_reached_by_some_role() {
    // Breadth-first over (state, step by any role that may take it).
    let mut seen = BTreeSet::from([DossierState::Draft.as_str()]);
    let mut queue = VecDeque::from([DossierState::Draft]);
    while let Some(s) = queue.pop_front() {
        for role in Role::ALL {
            for a in DossierAction::ALL {
                if let Some(to) = apply(s, role, *a)
                    && seen.insert(to.as_str())
                {
                    queue.push_back(to);
                }
            }
        }
    }
    assert_eq!(seen.len(), DossierState::ALL.len());
}
