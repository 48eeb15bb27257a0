//! The award catalogue, the registry the eligibility engine reads
//! (ratings, titles, awards, initiatives, discipline) and the annual title
//! review (bình xét). Every write is audited in its transaction.

mod catalogue;
mod changes;
mod entries;
mod reviews;
mod rows;

pub use changes::PeopleRange;
pub use reviews::{REVIEW_LIST_MAX, ReviewListing};

pub use rows::{
    AwardRow, DisciplineRow, InitiativeRow, LineCheck, LineRow, NewAward, NewInitiative, NewTitle,
    QuotaRow, Registry, ReviewRow, SubjectRef, TitleRow,
};
