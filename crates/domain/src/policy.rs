//! Who may do what: the one policy every page and API call passes.
//!
//! The decision is pure. Callers say who acts (role and scope roots), what
//! they want to do, and what the object is — including the chain of units
//! the object sits under *today*, which the store computes. Handlers never
//! check roles themselves.

use crate::org::UnitId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Vai trò — what a user account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống — accounts, tokens, audit; everything everywhere.
    Admin,
    /// Cán bộ Ban Thi đua – Khen thưởng / Sở Nội vụ — province-wide work.
    ProvinceOfficer,
    /// Cán bộ thi đua của đơn vị — one unit and the units under it.
    UnitOfficer,
    /// Thành viên Hội đồng Thi đua – Khen thưởng.
    CouncilMember,
    /// Lãnh đạo phê duyệt — the leader who approves and signs.
    Leader,
    /// Chỉ xem — read-only.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::ProvinceOfficer,
        Role::UnitOfficer,
        Role::CouncilMember,
        Role::Leader,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ProvinceOfficer => "province_officer",
            Role::UnitOfficer => "unit_officer",
            Role::CouncilMember => "council_member",
            Role::Leader => "leader",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::ProvinceOfficer => "Cán bộ thi đua tỉnh",
            Role::UnitOfficer => "Cán bộ thi đua đơn vị",
            Role::CouncilMember => "Thành viên Hội đồng TĐKT",
            Role::Leader => "Lãnh đạo phê duyệt",
            Role::Viewer => "Chỉ xem",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "vai trò không xác định: «{0}» (admin, province_officer, unit_officer, council_member, leader, viewer)"
)]
pub struct UnknownRole(pub String);

/// The acting user as the policy sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    /// The units whose subtrees the actor works in, as of today: the
    /// account's unit, or what it became if it was reorganised.
    pub scope_roots: Vec<UnitId>,
    /// The unit the account itself belongs to, as recorded (a province's
    /// officer proposes only for their own office).
    pub unit: Option<UnitId>,
}

/// What is being done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See a unit, its people, its history.
    ViewUnit,
    /// Add a unit under a unit.
    CreateUnit,
    /// Rename or otherwise edit a unit.
    UpdateUnit,
    /// See people and search them.
    ViewPeople,
    /// Manage accounts (tài khoản).
    ManageUsers,
    /// Create and revoke API tokens.
    ManageTokens,
    /// Read the audit log (nhật ký).
    ViewAudit,
    /// Create, launch and review movements launched by a unit (phát động).
    ManageMovements,
    /// Enter a unit's indicator values and register it for movements.
    EnterValues,
    /// Approve or return a unit's values — the level above the unit.
    ApproveValues,
    /// Mở lại — reopen an approved value for correction: the same level
    /// that approved it.
    ReopenValues,
    /// Bình xét — run the annual title review of a unit's people.
    ReviewTitles,
    /// Edit the award catalogue (danh mục danh hiệu, hình thức khen thưởng).
    ManageCatalogue,
    /// Draft, submit, complete and withdraw a unit's nomination dossiers
    /// (hồ sơ đề nghị khen thưởng).
    ProposeAwards,
    /// Receive, appraise, post and forward dossiers (thẩm định) — Sở Nội vụ.
    AppraiseDossiers,
    /// Vote in the Emulation Council (biểu quyết).
    VoteInCouncil,
    /// Approve a dossier and sign its decision (phê duyệt).
    ApproveAwards,
    /// Correct or revoke a signed decision by a later one (đính chính,
    /// thu hồi): the authority over the issuing unit.
    AmendDecision,
    /// Edit the working-day calendar and the procedure's limits.
    ManageCalendar,
    /// Khối, cụm thi đua — set up a block or cluster, its scoring sheet and
    /// members, finalise its ranking and propose its leaders for the flag:
    /// the emulation office's work.
    ManageClusters,
    /// Score a member of a cluster (tự chấm, the head's and the deputy's
    /// stages): a member unit's officer, in their own scope.
    ScoreInCluster,
    /// Nhập sổ khen thưởng — bring awards of the paper registry into
    /// thidua, for the units of one's scope.
    ImportRegistry,
    /// Danh sách cán bộ — add and edit a unit's people, their stints,
    /// transfers and retirements, and import a staff list.
    ManagePeople,
    /// Số định danh cá nhân — see a person's identity number: those who keep
    /// the unit's staff list, never the council, leaders or viewers. Every
    /// view is audited.
    ViewIdNumbers,
    /// Báo cáo nhiệm vụ — report on a task a movement's plan gave the unit.
    ReportOnTask,
    /// Điển hình tiên tiến — record an exemplary person or collective of
    /// one's scope (publishing and the conferences are the movement
    /// managers' `ManageMovements`).
    RecordExemplary,
    /// Khen thưởng của thủ trưởng đơn vị — record the Giấy khen and the
    /// awards a unit's head (Giám đốc sở, Chủ tịch UBND xã) decides for the
    /// unit's own people and collectives, inside the unit, with no
    /// province step.
    IssueUnitAwards,
}

impl Action {
    pub const ALL: [Action; 27] = [
        Action::ViewUnit,
        Action::CreateUnit,
        Action::UpdateUnit,
        Action::ViewPeople,
        Action::ManageUsers,
        Action::ManageTokens,
        Action::ViewAudit,
        Action::ManageMovements,
        Action::EnterValues,
        Action::ApproveValues,
        Action::ReopenValues,
        Action::ReviewTitles,
        Action::ManageCatalogue,
        Action::ProposeAwards,
        Action::AppraiseDossiers,
        Action::VoteInCouncil,
        Action::ApproveAwards,
        Action::AmendDecision,
        Action::ManageCalendar,
        Action::ManageClusters,
        Action::ScoreInCluster,
        Action::ImportRegistry,
        Action::ManagePeople,
        Action::ViewIdNumbers,
        Action::ReportOnTask,
        Action::RecordExemplary,
        Action::IssueUnitAwards,
    ];
}

/// The object acted on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Object {
    /// A unit, with its chain of units from itself up to the root, as of
    /// today (for an ended unit: the chains of what it became, and its own).
    Unit { id: UnitId, chain: Vec<UnitId> },
    /// The system as a whole (accounts, tokens, the audit log).
    System,
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("vai trò của bạn không được phép thực hiện thao tác này")]
    Role,
    #[error("đối tượng này nằm ngoài phạm vi đơn vị của bạn")]
    Scope,
}

/// Whether a role may ever take an action, scope aside.
pub fn role_allows(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        ViewUnit | ViewPeople => true,
        CreateUnit | UpdateUnit => matches!(role, Admin | ProvinceOfficer | UnitOfficer),
        ManageUsers | ManageTokens | ViewAudit | ManageCatalogue | ManageCalendar => role == Admin,
        ManageMovements | AppraiseDossiers | ManageClusters | ImportRegistry => {
            matches!(role, Admin | ProvinceOfficer)
        }
        EnterValues | ApproveValues | ReopenValues | ReviewTitles | ProposeAwards
        | ScoreInCluster | ManagePeople | ViewIdNumbers | ReportOnTask | RecordExemplary
        | IssueUnitAwards => {
            matches!(role, Admin | ProvinceOfficer | UnitOfficer)
        }
        VoteInCouncil => role == CouncilMember,
        ApproveAwards | AmendDecision => matches!(role, Admin | Leader),
    }
}

/// A role whose scope is everywhere (the administrator): nothing it reads
/// or lists is limited to a subtree. Everyone else works in `scope_roots`,
/// and an account of theirs must belong to a unit.
pub fn unscoped(role: Role) -> bool {
    role == Role::Admin
}

/// Whether the account is told when work of `action` waits on it: the
/// administrator can act anywhere, but the work is not theirs.
pub fn told_of_work(role: Role, action: Action) -> bool {
    !unscoped(role) && role_allows(role, action)
}

/// Whether a decision drafted by this account is signed in its own name
/// (a leader's), rather than left for the signer to be named.
pub fn signs_in_own_name(role: Role) -> bool {
    role == Role::Leader
}

/// Hồ sơ đề nghị khen thưởng — a nomination dossier as the policy sees
/// it: the proposing unit, and whether it was ever sent upward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierObject {
    /// The proposing unit ([`Object::Unit`]).
    pub unit: Object,
    /// Whether the dossier was ever submitted. An unsent draft (or one
    /// withdrawn before it was sent) is its unit's own paper.
    pub sent: bool,
}

/// What one account may do with one dossier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierRights {
    pub view: bool,
    /// The sides' actions it may take ([`Action::ProposeAwards`],
    /// [`Action::AppraiseDossiers`], [`Action::ApproveAwards`]), in that order.
    pub act: Vec<Action>,
    pub vote: bool,
}

/// The actions of the three sides of a dossier, in the order a dossier
/// meets them.
pub const DOSSIER_SIDES: [Action; 3] = [
    Action::ProposeAwards,
    Action::AppraiseDossiers,
    Action::ApproveAwards,
];

/// A province's officer is the appraising side of every other unit's
/// dossier: they propose only for their own office, so they neither see
/// another unit's unsent draft nor are told of its steps as proposer.
fn proposes_for(actor: &Actor, dossier: &DossierObject) -> bool {
    let own = match &dossier.unit {
        Object::Unit { id, .. } => actor.unit == Some(*id),
        Object::System => false,
    };
    actor.role != Role::ProvinceOfficer || own
}

/// Decides what `actor` may do with a dossier. A draft is the proposing
/// unit's own; once sent, everyone whose scope holds the unit sees it.
pub fn dossier_rights(actor: &Actor, dossier: &DossierObject) -> DossierRights {
    let allows = |a: Action| authorize(actor, a, &dossier.unit).is_ok();
    if !dossier.sent {
        let view = allows(Action::ProposeAwards) && proposes_for(actor, dossier);
        return DossierRights {
            view,
            act: if view {
                vec![Action::ProposeAwards]
            } else {
                vec![]
            },
            vote: false,
        };
    }
    let act: Vec<Action> = DOSSIER_SIDES.into_iter().filter(|a| allows(*a)).collect();
    let vote = allows(Action::VoteInCouncil);
    let view = !act.is_empty() || vote || allows(Action::ViewUnit);
    DossierRights { view, act, vote }
}

/// Whether the account is told that a dossier waits on `action` (a side's
/// action, or [`Action::VoteInCouncil`]): it may act there, the work is
/// theirs (not an administrator's), and a province's officer is not told
/// as proposer of another unit's dossier.
pub fn told_of_dossier_work(actor: &Actor, action: Action, dossier: &DossierObject) -> bool {
    told_of_work(actor.role, action)
        && authorize(actor, action, &dossier.unit).is_ok()
        && (action != Action::ProposeAwards || proposes_for(actor, dossier))
}

/// Which unsent dossiers a list shows an account, before scope: a
/// province's officer sees only their own office's, the read-only roles
/// none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsentListed {
    None,
    /// Those of the units in the actor's scope.
    InScope,
    /// Only those of this unit.
    OfUnit(UnitId),
}

/// The pure half of [`dossier_rights`] that a database query can apply to
/// a list: sent dossiers in scope are always listed.
pub fn unsent_listed(actor: &Actor) -> UnsentListed {
    if !role_allows(actor.role, Action::ProposeAwards) {
        UnsentListed::None
    } else if actor.role == Role::ProvinceOfficer {
        actor.unit.map_or(UnsentListed::None, UnsentListed::OfUnit)
    } else {
        UnsentListed::InScope
    }
}

/// Who issued a decision, as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    /// A unit of the registry ([`Object::Unit`]).
    Unit(Object),
    /// A unit recorded but no longer found: no one works over it.
    Missing,
    /// None recorded: the central level (Thủ tướng, Chủ tịch nước), whose
    /// decisions are recorded here, not made.
    Central,
}

/// Which draft movements a list shows an account, before scope: those of
/// the authorities it manages movements for, or none.
pub fn draft_movements_listed(actor: &Actor) -> UnsentListed {
    if role_allows(actor.role, Action::ManageMovements) {
        UnsentListed::InScope
    } else {
        UnsentListed::None
    }
}

/// Whether a movement exists for an account: once launched, for everyone;
/// a draft only for those who may manage it for its authority.
pub fn sees_movement(launched: bool, manage: Result<(), Denied>) -> bool {
    launched || manage.is_ok()
}

/// Quyết định khen thưởng — a decision as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionObject {
    /// Made on a dossier: it is seen with the dossier.
    OnDossier {
        dossier_visible: bool,
        issuer: Issuer,
    },
    /// Made without a dossier by a unit here (e.g. an amendment): seen by
    /// those who work over the issuing unit.
    Provincial { issuer: Issuer },
    /// Central, recorded rather than made here: seen by those whose scope
    /// holds one of its subjects' units.
    Central { subjects: Vec<Object> },
}

/// What one account may do with one decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DecisionRights {
    pub view: bool,
    /// Correct or revoke it by a later decision.
    pub amend: bool,
}

/// Decides what `actor` may do with a decision: amending takes the right
/// over the issuer's unit, and only the administrator, who records them,
/// amends a central decision.
pub fn decision_rights(actor: &Actor, decision: &DecisionObject) -> DecisionRights {
    let on = |action: Action, issuer: &Issuer| match issuer {
        Issuer::Unit(o) => authorize(actor, action, o).is_ok(),
        Issuer::Missing => false,
        Issuer::Central => unscoped(actor.role) && role_allows(actor.role, action),
    };
    let (view, amend) = match decision {
        DecisionObject::OnDossier {
            dossier_visible,
            issuer,
        } => (*dossier_visible, on(Action::AmendDecision, issuer)),
        DecisionObject::Provincial { issuer } => (
            on(Action::ViewUnit, issuer),
            on(Action::AmendDecision, issuer),
        ),
        DecisionObject::Central { subjects } => (
            unscoped(actor.role)
                || subjects
                    .iter()
                    .any(|o| authorize(actor, Action::ViewUnit, o).is_ok()),
            on(Action::AmendDecision, &Issuer::Central),
        ),
    };
    DecisionRights {
        view,
        amend: view && amend,
    }
}

/// The policy. `Ok(())` allows.
pub fn authorize(actor: &Actor, action: Action, object: &Object) -> Result<(), Denied> {
    use Action::*;
    use Role::*;
    if !role_allows(actor.role, action) {
        return Err(Denied::Role);
    }
    if actor.role == Admin {
        return Ok(());
    }
    match object {
        Object::System => Err(Denied::Role),
        Object::Unit { id, chain } => {
            let inside = chain.iter().any(|u| actor.scope_roots.contains(u));
            if !inside {
                return Err(Denied::Scope);
            }
            // A unit officer works below their unit; the unit itself (its
            // name, its place in the tree) is the province's to change.
            // Likewise their own values are approved by the level above.
            if actor.role == UnitOfficer
                && matches!(action, UpdateUnit | ApproveValues | ReopenValues)
                && actor.scope_roots.contains(id)
            {
                return Err(Denied::Scope);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests;
