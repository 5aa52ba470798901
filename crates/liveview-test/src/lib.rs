#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod builder;
mod client;
mod component;
mod dom;
mod error;
mod expect;
mod live_view_test;
mod mailbox;
mod recorder;
pub mod socket;
mod transport;
pub mod ws;

#[doc(inline)]
pub use builder::{live, LiveBuilder};
#[doc(inline)]
pub use component::render_component;
#[doc(inline)]
pub use error::Error;
#[doc(inline)]
pub use expect::Expect;
#[doc(inline)]
pub use live_view_test::{LiveViewTest, TEST_VIEW_ID};
#[doc(inline)]
pub use mailbox::{Entry, Inbound, Mailbox, MailboxEntry, Outbound, DEFAULT_TIMEOUT};
#[doc(inline)]
pub use recorder::{record, spawn, SpawnedView};
#[doc(inline)]
pub use transport::{InProcess, Transport};

/// The runtime's types a test meets in mailbox entries, frames, navigations and builders,
/// re-exported so that a test crate needs no direct dependency on `liveview-session`.
#[doc(no_inline)]
pub use liveview_session::{
    Flash, Hook, Hooks, InFrame, MountOutcome, Navigation, Params, PushKind, RestartPolicy,
    Session, ViewError,
};

/// The snippets of `docs/guides/testing-components.md`, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guides/testing-components.md")]
pub struct TestingComponentsGuide;
