#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod dom;
mod error;
mod live_view_test;
mod mailbox;
mod recorder;

#[doc(inline)]
pub use error::Error;
#[doc(inline)]
pub use live_view_test::{live, LiveBuilder, LiveViewTest, TEST_VIEW_ID};
#[doc(inline)]
pub use mailbox::{Inbound, Mailbox, MailboxEntry, Outbound, DEFAULT_TIMEOUT};
#[doc(inline)]
pub use recorder::{record, spawn, SpawnedView};
