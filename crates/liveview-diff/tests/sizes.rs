//! Diff sizes on the wire (B2): deterministic byte counts, not timings.

use liveview_diff::{html, DiffTracker, Extras, Rendered};

struct Row {
    id: u32,
    name: String,
    value: u64,
}

fn table(rows: &[Row]) -> Rendered {
    html! {
        table #rows {
            tbody {
                @for r in rows; key = (r.id) {
                    tr id=(format!("row-{}", r.id)) {
                        td { (r.id) } td.name { (r.name) } td.value { (r.value) }
                    }
                }
            }
        }
    }
}

fn rows(changed: Option<u32>) -> Vec<Row> {
    (0..300)
        .map(|id| Row {
            id,
            name: format!("row number {id}"),
            value: u64::from(id) * 7 + u64::from(Some(id) == changed),
        })
        .collect()
}

#[test]
fn one_changed_row_of_300_is_under_one_percent_of_the_page() {
    let before = table(&rows(None));
    let full_html = before.to_html().len();
    let mut t = DiffTracker::new();
    t.render_full(before, &Extras::default());
    let diff = t
        .render_diff(table(&rows(Some(150))), &Extras::default())
        .unwrap();
    assert_eq!(diff, r#"{"0":{"k":{"150":{"3":"1051"},"kc":300}}}"#);
    let ratio = diff.len() as f64 / full_html as f64;
    eprintln!(
        "B2 table: diff {} bytes, full HTML {full_html} bytes, {:.3}%",
        diff.len(),
        ratio * 100.0
    );
    assert!(ratio <= 0.01, "diff is {:.3}% of the page", ratio * 100.0);
}
