use super::super::codes::{AwardCode, DisciplineLevel, InitiativeScope, Rating};
use super::super::request::{
    Discipline, Employment, Held, HeldStatus, History, Initiative, YearRating,
};
use super::judge::whole_streak;
use super::{Snapshot, SweepOutcome, judge};
use proptest::prelude::*;
use time::{Date, Month};

/// Codes a registry holds for people; the rest are judged as `other`.
const HELD: [AwardCode; 7] = [
    AwardCode::LaoDongTienTien,
    AwardCode::ChienSiThiDuaCoSo,
    AwardCode::ChienSiThiDuaTinh,
    AwardCode::ChienSiThiDuaToanQuoc,
    AwardCode::BangKhenTinh,
    AwardCode::BangKhenThuTuong,
    AwardCode::HuanChuongLaoDongHangBa,
];

fn day(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
}

/// Histories around the years that matter (2012–2026), now and then
/// reaching outside the window or impossible, so both paths are judged.
fn history() -> impl Strategy<Value = History> {
    let years = 1985i32..2027;
    let rating = prop::sample::select(vec![
        Rating::CompletedExcellently,
        Rating::CompletedWell,
        Rating::CompletedWell,
        Rating::Completed,
        Rating::NotCompleted,
    ]);
    let ratings = prop::collection::btree_map(2008i32..2027, rating, 0..16).prop_map(|m| {
        m.into_iter()
            .map(|(year, rating)| YearRating { year, rating })
            .collect::<Vec<_>>()
    });
    let status = prop::sample::select(vec![
        HeldStatus::Active,
        HeldStatus::Active,
        HeldStatus::Active,
        HeldStatus::Revoked,
    ]);
    let titles = prop::collection::btree_map(
        (
            2008i32..2027,
            prop::sample::select(vec![
                AwardCode::LaoDongTienTien,
                AwardCode::ChienSiThiDuaCoSo,
                AwardCode::ChienSiThiDuaCoSo,
            ]),
        ),
        status.clone(),
        0..14,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|((y, code), status)| Held {
                code,
                year: Some(y),
                decision_date: Some(day(y + 1, 1, 15)),
                period_from: None,
                period_to: None,
                status,
            })
            .collect::<Vec<_>>()
    });
    let award = (
        prop::sample::select(HELD.to_vec()),
        years.clone(),
        0i32..4,
        any::<bool>(),
        status.clone(),
    )
        .prop_map(|(code, end, len, with_from, status)| Held {
            code,
            year: None,
            decision_date: Some(day(end + 1, 4, 30)),
            period_from: with_from.then_some(end - len),
            period_to: Some(end),
            status,
        });
    let scope = prop::sample::select(InitiativeScope::ALL.to_vec());
    let initiative = (
        2008i32..2027,
        scope,
        prop::option::of(prop::sample::select(HELD.to_vec())),
        prop::option::of(2008i32..2027),
        status,
    )
        .prop_map(|(year, scope, used_by, used_by_year, status)| Initiative {
            year,
            scope,
            used_by,
            used_by_year: used_by.and(used_by_year),
            status,
        });
    let discipline = (
        2008i32..2027,
        prop::sample::select(DisciplineLevel::ALL.to_vec()),
    )
        .prop_map(|(year, level)| Discipline { year, level });
    let employment = prop::option::of((
        prop::sample::select(vec![1986, 2005, 2019, 2024, 2025, 2025, 2026]),
        1u8..13,
    ))
    .prop_map(|e| {
        e.map(|(y, m)| Employment {
            start: day(y, m, 1),
            end: None,
        })
    });
    (
        ratings,
        titles,
        prop::collection::vec(award, 0..5),
        prop::collection::vec(initiative, 0..5),
        prop::collection::vec(discipline, 0..2),
        employment,
    )
        .prop_map(
            |(ratings, titles, awards, initiatives, discipline, employment)| History {
                ratings,
                titles,
                awards,
                initiatives,
                discipline,
                employment,
                members: None,
                cluster_results: Vec::new(),
            },
        )
}

fn engine(h: &History, code: AwardCode, year: i32, on: Date) -> SweepOutcome {
    judge::Question::new(code, year, on).whole(h)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Every award, years on both sides of the 2024 and mid-2025 changes of
    /// rules: the sweep answers what `check` answers, person by person,
    /// whether the person was packed at the build or rewritten since.
    #[test]
    fn the_sweep_gives_the_engines_verdicts(people in prop::collection::vec(history(), 1..12)) {
        let mut built = Snapshot::new();
        let mut rewritten = Snapshot::new();
        for (i, h) in people.iter().enumerate() {
            built.push(i as i64 + 1, h).unwrap();
            rewritten.push(i as i64 + 1, &History::default()).unwrap();
            rewritten.set(i as i64 + 1, h).unwrap();
        }
        for (year, on) in [(2019, day(2020, 3, 1)), (2024, day(2025, 2, 1)), (2025, day(2025, 12, 1)), (2026, day(2027, 1, 10))] {
            for code in AwardCode::ALL {
                let all = built.sweep(code, year, on, None).unwrap();
                let again = rewritten.sweep(code, year, on, None).unwrap();
                prop_assert_eq!(&all, &again);
                let mut eligible = Vec::new();
                for (i, h) in people.iter().enumerate() {
                    let id = i as i64 + 1;
                    let want = engine(h, code, year, on);
                    let got = built.outcome_of(id, code, year, on).unwrap();
                    prop_assert_eq!(got, Some(want), "{:?} {} person {} history {:?}", code, year, id, h);
                    if want == SweepOutcome::Judged(super::Outcome::Eligible) {
                        eligible.push(id);
                    }
                }
                prop_assert_eq!(&all.eligible_ids, &eligible);
            }
            let hist = built.streak_histogram(year).unwrap();
            let mut want = vec![0u64; 61];
            for h in &people {
                want[whole_streak(h, year) as usize] += 1;
            }
            prop_assert_eq!(hist, want);
        }
    }
}

#[test]
fn removed_people_and_subsets_are_left_out() {
    let h = History {
        ratings: vec![YearRating {
            year: 2025,
            rating: Rating::CompletedWell,
        }],
        ..History::default()
    };
    let mut s = Snapshot::new();
    for id in [3, 5, 9] {
        s.push(id, &h).unwrap();
    }
    assert!(s.push(4, &h).is_err(), "ids ascend at the build");
    s.remove(5);
    let on = day(2026, 1, 5);
    let all = s.sweep(AwardCode::LaoDongTienTien, 2025, on, None).unwrap();
    assert_eq!(all.eligible_ids, vec![3, 9]);
    let pos = s.positions(&[9, 5, 42]);
    let some = s
        .sweep(AwardCode::LaoDongTienTien, 2025, on, Some(&pos))
        .unwrap();
    assert_eq!(some.eligible_ids, vec![9]);
    assert!(s.sweep(AwardCode::LaoDongTienTien, 1980, on, None).is_err());
    assert_eq!(super::checksum([3, 9]), super::checksum([9, 3]));
    assert_ne!(super::checksum([3, 9]), super::checksum([4, 8]));
}
