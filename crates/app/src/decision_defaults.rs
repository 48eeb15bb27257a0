//! What an empty database starts with for decisions: the base salary's
//! history and the shipped templates.

use crate::AppResult;
use thidua_domain::decision as dd;
use thidua_domain::template::TemplateKind;
use thidua_store::{Store, Who};

/// Puts the base salary's history and the shipped templates into an empty
/// database; after that they are data the administrators edit.
pub async fn ensure_defaults(store: &Store, who: &Who) -> AppResult<()> {
    if store.base_salaries().await?.is_empty() {
        for b in dd::base_salary_history() {
            store.add_base_salary(who, &b).await?;
        }
    }
    for kind in TemplateKind::ALL {
        // A template still as thidua once shipped it is brought up to the
        // current text (legal grounds by era, the issuer's own words); an
        // administrator's edit is left alone.
        let upgrade = match store.template(kind).await? {
            None => true,
            Some(t) => kind.is_previous_default(&t.body),
        };
        if upgrade {
            store.save_template(who, kind, kind.default_text()).await?;
        }
    }
    Ok(())
}
