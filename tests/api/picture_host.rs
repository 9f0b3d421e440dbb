//! An organisation's image host, on its own origin, counting what it is
//! asked for: items' pictures must reach supporters through Chorus, never
//! from here.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::header;
use axum::routing::get;

/// A 16 × 9 PNG.
pub const PHOTO: &[u8] = include_bytes!("photo.png");

pub struct PictureHost {
    pub origin: String,
    hits: Arc<AtomicUsize>,
}

impl PictureHost {
    /// Serves `/photo.png`, `/drawing.svg` (which Chorus must refuse: SVG can
    /// carry script), `/big.png` (over the logos' size limit) and
    /// `/huge.png` (over Chorus's size limit for any picture).
    pub async fn serve() -> Self {
        let hits = Arc::new(AtomicUsize::new(0));
        let counted = hits.clone();
        let app = axum::Router::new()
            .route(
                "/photo.png",
                get(|| async { ([(header::CONTENT_TYPE, "image/png")], PHOTO) }),
            )
            .route(
                "/drawing.svg",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "image/svg+xml")],
                        r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#,
                    )
                }),
            )
            .route(
                "/big.png",
                get(|| async {
                    let body = vec![0_u8; chorus::wall::logo::MAX_LOGO_BYTES + 1];
                    ([(header::CONTENT_TYPE, "image/png")], body)
                }),
            )
            .route(
                "/huge.png",
                get(|| async {
                    let body = vec![0_u8; chorus::updates::MAX_IMAGE_BYTES + 1];
                    ([(header::CONTENT_TYPE, "image/png")], body)
                }),
            )
            .layer(axum::middleware::from_fn(
                move |request: axum::extract::Request, next: axum::middleware::Next| {
                    counted.fetch_add(1, Ordering::SeqCst);
                    next.run(request)
                },
            ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("port 0");
        let addr = listener.local_addr().expect("bound");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("host runs") });
        Self {
            origin: format!("http://127.0.0.1:{}", addr.port()),
            hits,
        }
    }

    /// Requests received so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}
