//! The outbound address guard: with it on (the default), a feed or picture
//! on loopback, or a redirect there, is refused before any request reaches
//! it, with an error the organiser can read; with the intranet setting on,
//! the same sources work.

use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use chorus::outbound::FetchConfig;
use chorus::updates::ItemImages;
use chorus::updates::mirror::Mirror;

use crate::helpers::TestApp;
use crate::mirror::{RSS, Site, items, mirrored_feed};
use crate::picture_host::PictureHost;

fn guarded() -> FetchConfig {
    FetchConfig::default()
}

fn allowing(networks: &str) -> FetchConfig {
    FetchConfig {
        allow_fetch_from: networks
            .split(',')
            .map(|net| net.parse().expect("a network"))
            .collect(),
        ..FetchConfig::default()
    }
}

/// A server on `ip` that redirects every request to `to`.
async fn redirecting(ip: &str, to: String) -> String {
    let app = axum::Router::new().fallback(move || {
        let to = to.clone();
        async move { (StatusCode::FOUND, [(header::LOCATION, to)]).into_response() }
    });
    let listener = tokio::net::TcpListener::bind((ip, 0)).await.expect("port");
    let url = format!("http://{}/feed", listener.local_addr().expect("bound"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::test]
async fn a_feed_on_loopback_is_refused_and_the_last_good_copy_stays() {
    let app = TestApp::spawn().await;
    let (site, url) = Site::start().await;
    site.serve(RSS, "application/rss+xml");
    let feed = mirrored_feed(&app, &url).await;
    Mirror::new(allowing("127.0.0.1/32"), Duration::from_secs(5))
        .fetch(&*app.store, &feed)
        .await
        .expect("allowed: fetched");
    let mirrored = items(&app, &feed).await.len();
    assert!(mirrored > 0);

    let refused = Mirror::new(guarded(), Duration::from_secs(5))
        .fetch(&*app.store, &feed)
        .await
        .expect_err("a loopback source is refused")
        .to_string();
    assert!(
        refused.contains("does not fetch from 127.0.0.1")
            && refused.contains("CHORUS_ALLOW_PRIVATE_FETCH"),
        "{refused}"
    );
    let source = app
        .store
        .feed_source(feed.id)
        .await
        .expect("read")
        .expect("a mirror");
    assert_eq!(source.error.as_deref(), Some(refused.as_str()));
    assert_eq!(items(&app, &feed).await.len(), mirrored, "nothing lost");

    // A name that resolves to loopback is refused the same way.
    let by_name = url.replace("127.0.0.1", "localhost");
    let named = crate::mirror::mirrored_feed_at(&app, "named-news", &by_name).await;
    let refused = Mirror::new(guarded(), Duration::from_secs(5))
        .fetch(&*app.store, &named)
        .await
        .expect_err("localhost is refused")
        .to_string();
    assert!(
        refused.contains("does not fetch from localhost"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_redirect_to_a_private_address_is_refused_at_that_hop() {
    let app = TestApp::spawn().await;
    // The first hop is allowed, the address it redirects to is not.
    let (other_site, other) = Site::start_on("127.0.0.2").await;
    other_site.serve(RSS, "application/rss+xml");
    let start = redirecting("127.0.0.1", other.clone()).await;
    let feed = mirrored_feed(&app, &start).await;
    let refused = Mirror::new(allowing("127.0.0.1/32"), Duration::from_secs(5))
        .fetch(&*app.store, &feed)
        .await
        .expect_err("the redirect is refused")
        .to_string();
    assert!(
        refused.contains("does not fetch from 127.0.0.2"),
        "{refused}"
    );
    // With both allowed, the same chain is followed.
    Mirror::new(
        allowing("127.0.0.1/32,127.0.0.2/32"),
        Duration::from_secs(5),
    )
    .fetch(&*app.store, &feed)
    .await
    .expect("followed when allowed");
    assert!(!items(&app, &feed).await.is_empty());
}

#[tokio::test]
async fn more_than_three_redirects_are_not_followed() {
    let app = TestApp::spawn().await;
    let (site, target) = Site::start().await;
    site.serve(RSS, "application/rss+xml");
    let mut chain = target;
    for _ in 0..3 {
        chain = redirecting("127.0.0.1", chain).await;
    }
    let three = mirrored_feed(&app, &chain).await;
    let open = FetchConfig {
        allow_private_fetch: true,
        ..FetchConfig::default()
    };
    Mirror::new(open.clone(), Duration::from_secs(5))
        .fetch(&*app.store, &three)
        .await
        .expect("three redirects are followed");
    let four = redirecting("127.0.0.1", chain).await;
    let feed = crate::mirror::mirrored_feed_at(&app, "four-hops", &four).await;
    let refused = Mirror::new(open, Duration::from_secs(5))
        .fetch(&*app.store, &feed)
        .await
        .expect_err("four redirects are too many")
        .to_string();
    assert!(refused.contains("more than 3 times"), "{refused}");
}

#[tokio::test]
async fn a_picture_on_loopback_is_refused_without_asking_its_host() {
    let host = PictureHost::serve().await;
    let photo = format!("{}/photo.png", host.origin);
    let refused = ItemImages::new(guarded(), Duration::from_secs(5))
        .get(&photo)
        .await
        .expect_err("refused");
    assert!(
        refused.contains("does not fetch from 127.0.0.1"),
        "{refused}"
    );
    assert_eq!(host.hits(), 0, "the host was never asked");

    let allowed = FetchConfig {
        allow_private_fetch: true,
        ..FetchConfig::default()
    };
    let picture = ItemImages::new(allowed, Duration::from_secs(5))
        .get(&photo)
        .await
        .expect("allowed by the intranet setting");
    assert_eq!(picture.bytes.as_ref(), crate::picture_host::PHOTO);
    assert_eq!(host.hits(), 1);
}
