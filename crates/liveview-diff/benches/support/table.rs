//! The 1,000-row table page of B1, as a live template and as plain maud, shared by the
//! criterion bench and the callgrind example.

#![allow(dead_code, unreachable_pub)]

use liveview_diff::{html, Rendered};

pub struct Row {
    pub id: u32,
    pub name: String,
    pub value: u64,
}

pub fn rows(n: u32, changed: Option<u32>, bump: u64) -> Vec<Row> {
    (0..n)
        .map(|id| Row {
            id,
            name: format!("row number {id}"),
            value: u64::from(id) * 7 + if Some(id) == changed { bump } else { 0 },
        })
        .collect()
}

pub fn live_table(rows: &[Row]) -> Rendered {
    html! {
        table #rows {
            thead { tr { th { "id" } th { "name" } th { "value" } } }
            tbody {
                @for r in rows; key = (r.id) {
                    tr id=(format!("row-{}", r.id)) {
                        td { (r.id) }
                        td.name { (r.name) }
                        td.value { (r.value) }
                    }
                }
            }
        }
    }
}

pub fn maud_table(rows: &[Row]) -> maud::Markup {
    maud::html! {
        table #rows {
            thead { tr { th { "id" } th { "name" } th { "value" } } }
            tbody {
                @for r in rows {
                    tr id=(format!("row-{}", r.id)) {
                        td { (r.id) }
                        td.name { (r.name) }
                        td.value { (r.value) }
                    }
                }
            }
        }
    }
}
