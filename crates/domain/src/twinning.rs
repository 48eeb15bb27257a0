//! Kết nghĩa, giúp đỡ — who helps whom under a movement: an agency and a
//! commune ("giúp đỡ xã khó khăn"), an agency and a village (bon, buôn), an
//! agency and a poor household, or a party member or civil servant and a
//! household ("mỗi đảng viên phụ trách giúp đỡ hộ nghèo").

use crate::org::UnitKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairKind {
    /// Cơ quan, đơn vị — xã.
    OrgCommune,
    /// Cơ quan, đơn vị — thôn, bon, buôn.
    OrgVillage,
    /// Cơ quan, đơn vị — hộ gia đình.
    OrgHousehold,
    /// Đảng viên, cán bộ — hộ gia đình.
    PersonHousehold,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("loại kết nghĩa không xác định: «{0}»")]
pub struct UnknownPairKind(pub String);

/// Why a pair does not fit its kind: the field and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PairError {
    pub field: &'static str,
    pub message: String,
}

impl PairKind {
    pub const ALL: [PairKind; 4] = [
        PairKind::OrgCommune,
        PairKind::OrgVillage,
        PairKind::OrgHousehold,
        PairKind::PersonHousehold,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PairKind::OrgCommune => "org_commune",
            PairKind::OrgVillage => "org_village",
            PairKind::OrgHousehold => "org_household",
            PairKind::PersonHousehold => "person_household",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PairKind::OrgCommune => "Cơ quan, đơn vị giúp đỡ xã",
            PairKind::OrgVillage => "Cơ quan, đơn vị kết nghĩa thôn, bon, buôn",
            PairKind::OrgHousehold => "Cơ quan, đơn vị giúp đỡ hộ gia đình",
            PairKind::PersonHousehold => "Đảng viên, cán bộ giúp đỡ hộ gia đình",
        }
    }

    pub fn parse(s: &str) -> Result<Self, UnknownPairKind> {
        PairKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| UnknownPairKind(s.to_owned()))
    }

    /// Whether the partner is a unit (a commune or a village) rather than
    /// a household.
    pub fn partner_is_unit(self) -> bool {
        matches!(self, PairKind::OrgCommune | PairKind::OrgVillage)
    }

    /// Checks the two sides against the kind: the helping body is an
    /// agency (not a commune or village helping itself), the partner unit
    /// is a commune or a village as the kind says, a household has a name,
    /// and a person's pair names the person.
    pub fn check(
        self,
        helper: UnitKind,
        partner: Option<UnitKind>,
        household: bool,
        person: bool,
    ) -> Result<(), PairError> {
        let err = |field: &'static str, message: &str| {
            Err(PairError {
                field,
                message: message.to_owned(),
            })
        };
        if matches!(helper, UnitKind::Village) {
            return err(
                "org",
                "Bên giúp đỡ phải là cơ quan, đơn vị, không là thôn, bon.",
            );
        }
        match self {
            PairKind::OrgCommune if partner != Some(UnitKind::Commune) => {
                err("village", "Bên được giúp đỡ phải là một xã, phường.")
            }
            PairKind::OrgVillage if partner != Some(UnitKind::Village) => {
                err("village", "Bên được giúp đỡ phải là một thôn, bon, buôn.")
            }
            PairKind::OrgHousehold | PairKind::PersonHousehold if !household => {
                err("household", "Cần tên hộ được giúp đỡ.")
            }
            PairKind::OrgHousehold | PairKind::PersonHousehold if partner.is_some() => {
                err("village", "Hộ gia đình không kèm mã đơn vị được giúp đỡ.")
            }
            PairKind::PersonHousehold if !person => {
                err("person", "Cần mã cá nhân của đảng viên, cán bộ giúp đỡ.")
            }
            PairKind::OrgCommune | PairKind::OrgVillage | PairKind::OrgHousehold if person => err(
                "person",
                "Loại kết nghĩa này do cơ quan, đơn vị nhận, không ghi cá nhân.",
            ),
            PairKind::OrgCommune if helper == UnitKind::Commune => err(
                "org",
                "Một xã không tự giúp đỡ xã: bên giúp đỡ là cơ quan, đơn vị.",
            ),
            _ => Ok(()),
        }
    }
}

impl TryFrom<String> for PairKind {
    type Error = UnknownPairKind;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PairKind::parse(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_of_the_wrong_kinds_are_refused_with_their_field() {
        use UnitKind::*;
        let k = PairKind::OrgCommune;
        assert!(k.check(StateAgency, Some(Commune), false, false).is_ok());
        assert_eq!(
            k.check(StateAgency, Some(Village), false, false)
                .unwrap_err()
                .field,
            "village"
        );
        assert_eq!(
            k.check(Commune, Some(Commune), false, false)
                .unwrap_err()
                .field,
            "org"
        );
        assert!(
            PairKind::OrgVillage
                .check(StateAgency, Some(Village), false, false)
                .is_ok()
        );
        assert!(
            PairKind::OrgHousehold
                .check(StateAgency, None, true, false)
                .is_ok()
        );
        assert_eq!(
            PairKind::OrgHousehold
                .check(StateAgency, None, false, false)
                .unwrap_err()
                .field,
            "household"
        );
        assert!(
            PairKind::PersonHousehold
                .check(PartyAgency, None, true, true)
                .is_ok()
        );
        assert_eq!(
            PairKind::PersonHousehold
                .check(PartyAgency, None, true, false)
                .unwrap_err()
                .field,
            "person"
        );
        for k in PairKind::ALL {
            assert_eq!(PairKind::parse(k.as_str()), Ok(k));
        }
    }
}
