//! One module per scenario: each runs its measurements and adds rows to the table.

pub(crate) mod broadcast;
pub(crate) mod churn;
pub(crate) mod connect;
pub(crate) mod idle;
pub(crate) mod rtt;
pub(crate) mod saturate;
pub(crate) mod smoke;
