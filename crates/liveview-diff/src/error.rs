//! Errors of the diff engine and the reference merger.

/// What can go wrong when merging a diff the way the client does.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The JSON could not be parsed.
    #[error("invalid json")]
    Json(#[source] serde_json::Error),
    /// The diff breaks a rule of the 1.2 format; the message says which.
    #[error("malformed diff: {0}")]
    Malformed(String),
    /// A dynamic refers to a component the tree does not hold.
    #[error("cannot continue render due to missing component: {0}")]
    MissingComponent(u64),
}
