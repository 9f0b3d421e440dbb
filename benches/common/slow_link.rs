//! A slow phone's network link, between the browser and every server a page
//! reaches: each byte waits half a round trip each way, each direction has
//! one shared bandwidth, and each new connection costs a round trip first
//! (TCP's handshake).
//!
//! DevTools' own throttling is not enough for a framed widget: it delays a
//! page's requests but not a cross-origin frame's navigation, so the frame
//! page would arrive for free. Putting the delay in the path of the bytes
//! delays every request alike, as a real network does.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

#[derive(Clone)]
pub struct SlowLink {
    round_trip: Duration,
    down: Arc<Direction>,
    up: Arc<Direction>,
    /// Bumped to close every open connection.
    hang_ups: Arc<tokio::sync::watch::Sender<u64>>,
}

/// One direction of the link: bytes leave one after another at its rate.
struct Direction {
    bytes_per_second: f64,
    free_at: Mutex<Instant>,
}

impl Direction {
    fn new(bits_per_second: f64) -> Arc<Self> {
        Arc::new(Self {
            bytes_per_second: bits_per_second / 8.0,
            free_at: Mutex::new(Instant::now()),
        })
    }

    /// When `len` bytes handed over now have finished leaving.
    fn send(&self, len: usize) -> Instant {
        let mut free_at = self.free_at.lock().expect("not poisoned");
        let start = (*free_at).max(Instant::now());
        *free_at = start + Duration::from_secs_f64(len as f64 / self.bytes_per_second);
        *free_at
    }
}

/// An address on the slow side of the link; [`Front::forward`] joins it to
/// a server.
pub struct Front {
    listener: TcpListener,
    link: SlowLink,
    pub origin: String,
}

impl SlowLink {
    pub fn new(round_trip: Duration, down_bits: f64, up_bits: f64) -> Self {
        Self {
            round_trip,
            down: Direction::new(down_bits),
            up: Direction::new(up_bits),
            hang_ups: Arc::new(tokio::sync::watch::channel(0).0),
        }
    }

    /// Closes every connection open across the link, so that the next page
    /// load starts cold, with a handshake for each connection it makes.
    pub fn hang_up(&self) {
        self.hang_ups.send_modify(|n| *n += 1);
    }

    /// A new address whose origin uses `host` (`localhost` or `127.0.0.1`,
    /// so that pages and Chorus can be different sites).
    pub async fn front(&self, host: &str) -> Front {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("port 0");
        let port = listener.local_addr().expect("bound").port();
        Front {
            listener,
            link: self.clone(),
            origin: format!("http://{host}:{port}"),
        }
    }
}

impl Front {
    /// Carries every connection made to this front to `upstream`
    /// (`host:port`), through the link.
    pub fn forward(self, upstream: String) {
        let Self { listener, link, .. } = self;
        tokio::spawn(async move {
            while let Ok((browser, _)) = listener.accept().await {
                let (link, upstream) = (link.clone(), upstream.clone());
                let mut hung_up = link.hang_ups.subscribe();
                tokio::spawn(async move {
                    tokio::time::sleep(link.round_trip).await;
                    let Ok(server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let (browser_in, browser_out) = browser.into_split();
                    let (server_in, server_out) = server.into_split();
                    let half = link.round_trip / 2;
                    let both_ways = async {
                        tokio::join!(
                            carry(browser_in, server_out, link.up.clone(), half),
                            carry(server_in, browser_out, link.down.clone(), half),
                        )
                    };
                    tokio::select! {
                        _ = both_ways => {}
                        _ = hung_up.changed() => {}
                    }
                });
            }
        });
    }
}

/// Copies `from` to `to`, each chunk delivered once it has crossed
/// `direction` and `latency` more has passed. Reading goes on while earlier
/// chunks are in flight, so a long response streams rather than stalls.
async fn carry(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    direction: Arc<Direction>,
    latency: Duration,
) {
    let (chunks, mut in_flight) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let deliver = async move {
        while let Some((at, chunk)) = in_flight.recv().await {
            tokio::time::sleep_until(at).await;
            if to.write_all(&chunk).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    };
    let read = async move {
        // About one TCP segment, so bandwidth is spent as packets are.
        let mut buffer = vec![0; 1_400];
        while let Ok(n) = from.read(&mut buffer).await {
            if n == 0 {
                break;
            }
            let at = direction.send(n) + latency;
            if chunks.send((at, buffer[..n].to_vec())).is_err() {
                break;
            }
        }
    };
    tokio::join!(read, deliver);
}
