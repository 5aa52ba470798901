//! `/select` (E2E_SCENARIOS.md §5.6, FOC-01): a select gets `has-error` only when its field
//! has an error and was used (no `_unused_<field>` in the change payload).

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| s.live::<SelectLive>("/select"))
}

fn page(_: &str) -> Option<PageOpts> {
    None
}

/// The form's state: the submitted values and the errors shown.
#[derive(Debug, Clone, PartialEq, Default)]
struct SelectForm {
    values: [String; 4],
    /// Fields with an error that was used (rendered with `has-error`).
    errors: Vec<String>,
}

/// `/select`.
#[derive(Debug, Default)]
pub struct SelectLive;

/// The form the page shows.
const FORM: Key<SelectForm> = Key::new("form");

/// The events of [`SelectLive`].
#[derive(Debug, LiveEvent)]
pub enum SelectMsg {
    /// The form changed: its `select_form[...]` fields, with which were used.
    #[event(at = "select_form")]
    Validate(Form<Value>),
}

const FIELDS: [&str; 4] = ["select1", "select2", "select3", "select4"];

impl LiveView for SelectLive {
    type Info = ();
    type Event = SelectMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(
            FORM,
            SelectForm {
                values: [String::new(), String::new(), "2".into(), String::new()],
                errors: Vec::new(),
            },
        );
        Ok(())
    }

    fn update(&mut self, msg: SelectMsg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        let SelectMsg::Validate(params) = msg;
        let get = |k: &str| {
            params
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let used = |k: &str| params.used(k);
        let mut errors = Vec::new();
        // select2..4 cast to integers; select3 must be greater than 5.
        for f in &FIELDS[1..] {
            let v = get(f);
            if !v.is_empty() && v.parse::<i64>().is_err() && used(f) {
                errors.push((*f).to_owned());
            }
        }
        let s3 = get("select3").parse::<i64>().unwrap_or(0);
        if s3 <= 5 && used("select3") && !errors.iter().any(|e| e == "select3") {
            errors.push("select3".to_owned());
        }
        socket.assign(
            FORM,
            SelectForm {
                values: FIELDS.map(get),
                errors,
            },
        );
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let form = &assigns[FORM];
        let err = |f: &str| form.errors.iter().any(|e| e == f);
        let opts: Vec<String> = (1..=10).map(|i| i.to_string()).collect();
        html! {
            form #select_form phx-change=(SelectMsg::validate) {
                select #select_form_select1 name="select_form[select1]" class=[err("select1").then_some("has-error")] {
                    @for o in ["these options", "are fixed"] {
                        option value=(o) selected[form.values[0] == o] { (o) }
                    }
                }
                select #select_form_select2 name="select_form[select2]" class=[err("select2").then_some("has-error")] {
                    @for o in &opts { option value=(o) selected[&form.values[1] == o] { (o) } }
                }
                select #select_form_select3 name="select_form[select3]" class=[err("select3").then_some("has-error")] {
                    @for o in &opts { option value=(o) selected[&form.values[2] == o] { (o) } }
                }
                select #select_form_select4 name="select_form[select4]" class=[err("select4").then_some("has-error")] {
                    @for o in &opts { option value=(o) selected[&form.values[3] == o] { (o) } }
                }
            }
        }
    }
}
