//! The feed through the in-process harness: the test DOM keeps streamed posts as a browser
//! does, "Load more" appends, new posts arrive at the top, and the page keeps a window.

use example_feed::{Board, Feed, HISTORY, PAGE, WINDOW};
use liveview::PubSub;
use liveview_test::{assert_sent, LiveViewTest, Outbound, PushKind, Transport};

fn ids(view: &LiveViewTest<impl Transport>) -> Vec<u64> {
    view.element_html("#posts")
        .split("<li id=\"posts-")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

#[actix_rt::test]
async fn load_more_new_posts_and_the_window() {
    let board = Board::new(PubSub::start());
    let b = board.clone();
    let mut view = LiveViewTest::builder(move || Feed::new(b.clone()))
        .mount()
        .await;
    let first = ids(&view);
    assert_eq!(first.len() as u64, PAGE);
    assert_eq!(first[0], HISTORY);
    assert_eq!(view.text("#shown"), "20 posts shown");

    view.click("#more").await;
    let two = ids(&view);
    assert_eq!(two.len(), 40);
    assert_eq!(two[..20], first[..]);
    assert_eq!(two[20], HISTORY - 20);

    // A post from another reader: the broadcast reaches this view, which inserts it on top.
    let post = board.publish("hello").expect("published");
    // It reached this view through the broker and was pushed as a diff (the mailbox shows it).
    assert_sent!(view.mailbox(), Outbound::Push(PushKind::Diff(d)) if d.contains("hello"));
    assert_eq!(ids(&view)[0], post.id);
    assert_eq!(view.text("#shown"), "41 posts shown");

    view.click("#more").await;
    view.click("#more").await;
    let window = ids(&view);
    assert_eq!(window.len() as i64, WINDOW);
    assert!(
        !window.contains(&post.id),
        "the newest left the top of the window"
    );
    assert_eq!(*window.last().expect("posts"), HISTORY - 79);
}

#[actix_rt::test]
async fn the_view_reads_the_board_from_app_data_in_the_dead_render_and_live() {
    use liveview_test::socket::TestServer;
    use liveview_test::ws;

    let board = actix_web::web::Data::new(Board::new(PubSub::start()));
    let live = example_feed::live_config();
    let server = TestServer::start(move || example_feed::app(board.clone(), live.clone()));
    let page = ws::page(server.addr(), "/").await;
    assert!(
        page.inner().contains("Post number 10000"),
        "{}",
        page.inner()
    );
    let mut conn = ws::connect(&page).await;
    let reply = ws::join(&mut conn, &page, "1").await;
    assert_eq!(reply[4]["status"], "ok", "{reply}");
    let rendered = reply[4]["response"]["rendered"].to_string();
    assert!(rendered.contains("Post number 10000"), "{rendered}");
}
