//! A signature (or a sign-up) waiting on this device until Chorus has
//! answered for good, sealed so that a seized phone does not give it away.
//!
//! The form (name, email, comment) is encrypted with AES-GCM under a key
//! that WebCrypto made non-extractable and that lives in the partner
//! origin's IndexedDB: the stored bytes read as nothing without the browser
//! running this page, and the key itself can never be read out. What is
//! saved goes once Chorus answers for good, and is dropped unread after
//! 72 hours. Where any of this is missing (no IndexedDB, no WebCrypto on a
//! plain-HTTP page, storage refused), nothing is saved: the signature is
//! then only as safe as the open tab, which still retries.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, IdbDatabase, IdbRequest, IdbTransactionMode};

/// How long a saved signature waits before it is dropped unread.
const MAX_AGE_MS: f64 = 72.0 * 60.0 * 60.0 * 1000.0;
const DATABASE: &str = "chorus";
const KEYS: &str = "keys";
const DEVICE_KEY: &str = "pending-signatures";
const NONCE_BYTES: usize = 12;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn slot(slug: &str) -> String {
    format!("chorus:pending:{slug}")
}

/// Keeps a signature on this device, sealed, until [`clear`].
pub async fn save(slug: &str, json: &str) {
    if let (Some(storage), Ok(sealed)) = (storage(), seal(json).await) {
        let _ = storage.set_item(&slot(slug), &sealed);
    }
}

/// The signature a previous visit could not finish sending, if it is
/// younger than 72 hours and opens under this device's key.
pub async fn take(slug: &str) -> Option<String> {
    let storage = storage()?;
    let saved = storage.get_item(&slot(slug)).ok().flatten()?;
    let record = js_sys::JSON::parse(&saved).ok()?;
    // An earlier version saved the form itself: send it, sealed from now on.
    if Reflect::has(&record, &"idempotency_key".into()).unwrap_or(false) {
        clear(slug);
        save(slug, &saved).await;
        return Some(saved);
    }
    let opened = open(&record).await;
    if opened.is_none() {
        clear(slug);
    }
    opened
}

/// Forgets the signature saved for `slug`.
pub fn clear(slug: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&slot(slug));
    }
}

/// `{"at": saved at, "nonce": hex, "sealed": hex}`.
async fn seal(json: &str) -> Result<String, JsValue> {
    let crypto = crypto()?;
    let key = device_key(&crypto).await?;
    let mut nonce = [0u8; NONCE_BYTES];
    crypto.get_random_values_with_u8_array(&mut nonce)?;
    let params = gcm(&nonce);
    let sealed = JsFuture::from(crypto.subtle().encrypt_with_object_and_u8_array(
        &params,
        &key,
        json.as_bytes(),
    )?)
    .await?;
    let record = Object::new();
    Reflect::set(&record, &"at".into(), &js_sys::Date::now().into())?;
    Reflect::set(&record, &"nonce".into(), &hex::encode(nonce).into())?;
    let sealed = Uint8Array::new(&sealed).to_vec();
    Reflect::set(&record, &"sealed".into(), &hex::encode(sealed).into())?;
    js_sys::JSON::stringify(&record)?
        .as_string()
        .ok_or_else(|| "not a string".into())
}

async fn open(record: &JsValue) -> Option<String> {
    let at = Reflect::get(record, &"at".into()).ok()?.as_f64()?;
    if !(0.0..=MAX_AGE_MS).contains(&(js_sys::Date::now() - at)) {
        return None;
    }
    let hex_field =
        |name: &str| hex::decode(Reflect::get(record, &name.into()).ok()?.as_string()?).ok();
    let (nonce, sealed) = (hex_field("nonce")?, hex_field("sealed")?);
    let crypto = crypto().ok()?;
    let key = device_key(&crypto).await.ok()?;
    let params = gcm(&nonce);
    let plain = JsFuture::from(
        crypto
            .subtle()
            .decrypt_with_object_and_u8_array(&params, &key, &sealed)
            .ok()?,
    )
    .await
    .ok()?;
    String::from_utf8(Uint8Array::new(&plain).to_vec()).ok()
}

/// AES-GCM with `nonce`, copied into a JavaScript array: a slice would be a
/// view of WebAssembly memory that may be reused before WebCrypto reads it.
fn gcm(nonce: &[u8]) -> web_sys::AesGcmParams {
    web_sys::AesGcmParams::new_with_u8_array("AES-GCM", &Uint8Array::from(nonce))
}

fn crypto() -> Result<web_sys::Crypto, JsValue> {
    let crypto = web_sys::window().ok_or("no window")?.crypto()?;
    // `crypto.subtle` exists on secure pages only (HTTPS, localhost).
    if Reflect::get(&crypto, &"subtle".into())?.is_undefined() {
        return Err("WebCrypto needs a secure page".into());
    }
    Ok(crypto)
}

/// This device's key for pending signatures: the one in IndexedDB, or a
/// new non-extractable one put there.
async fn device_key(crypto: &web_sys::Crypto) -> Result<CryptoKey, JsValue> {
    let database = open_database().await?;
    if let Some(key) = stored_key(&database).await? {
        return Ok(key);
    }
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let made = JsFuture::from(crypto.subtle().generate_key_with_object(
        &web_sys::AesKeyGenParams::new("AES-GCM", 256),
        false,
        &usages,
    )?)
    .await?;
    let keys = database
        .transaction_with_str_and_mode(KEYS, IdbTransactionMode::Readwrite)?
        .object_store(KEYS)?;
    // `add` refuses to replace: if another widget on the page stored a key
    // first, that one is everyone's.
    let _ = done(&keys.add_with_key(&made, &DEVICE_KEY.into())?).await;
    stored_key(&database)
        .await?
        .ok_or_else(|| "the key was not kept".into())
}

async fn stored_key(database: &IdbDatabase) -> Result<Option<CryptoKey>, JsValue> {
    let keys = database.transaction_with_str(KEYS)?.object_store(KEYS)?;
    Ok(done(&keys.get(&DEVICE_KEY.into())?).await?.dyn_into().ok())
}

async fn open_database() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()?
        .ok_or("no IndexedDB")?;
    let opening = factory.open_with_u32(DATABASE, 1)?;
    let create = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
        |event: web_sys::Event| {
            let database = event
                .target()
                .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
            if let Some(database) = database {
                let _ = database.create_object_store(KEYS);
            }
        },
    );
    opening.set_onupgradeneeded(Some(create.as_ref().unchecked_ref()));
    let opened = done(&opening).await;
    opening.set_onupgradeneeded(None);
    drop(create);
    opened?.dyn_into()
}

/// The result of an IndexedDB request, once it has one.
async fn done(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let settled = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(settled).await?;
    request.result()
}
