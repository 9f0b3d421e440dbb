//! Shrinks the boundary between a bundle's WebAssembly and its
//! wasm-bindgen glue, after trunk has built both.
//!
//! - wasm-bindgen names every import after its Rust path plus a hash
//!   (`__wbg_querySelector_1555c239948f2bf0`), in the module and again in
//!   the glue, and hashes hardly compress. binaryen's
//!   `--minify-imports-and-exports-and-modules` gives them one-letter names
//!   and prints the mapping, which is applied to the glue here.
//! - Leptos always brings `server_fn`'s browser client, which brings
//!   `wasm-streams`, whose `#[wasm_bindgen]` classes nothing calls. The
//!   linker leaves their exports and code out (`link.rs`); their classes
//!   are removed from the glue here.
//!
//! Every name the glue calls must come out of the mapping, and the glue
//! must provide every import the module takes; anything else fails the
//! build rather than a partner's page.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::{Result, install};

/// The module the glue's imports are under, as wasm-bindgen names it.
const GLUE_MODULE: &str = "\"./chorus-widgets_bg.js\": import0";

/// Rewrites `{bundle}_bg.wasm` and `{bundle}.js` in `dist` in place.
pub fn shrink(dist: &Path, bundle: &str) -> Result {
    let wasm = dist.join(format!("{bundle}_bg.wasm"));
    let glue = dist.join(format!("{bundle}.js"));
    let mut minify = wasm_opt(&wasm);
    // The producers and target-features sections are notes for toolchains,
    // which browsers ignore; wasm-opt reads the features from the latter, so
    // they go in this last pass.
    minify
        .args(["--minify-imports-and-exports-and-modules"])
        .args(["--strip-producers", "--strip-target-features", "-o"])
        .arg(&wasm);
    let mapping = output(&mut minify)?;
    let (imports, exports) = read_mapping(&mapping)?;
    let text = std::fs::read_to_string(&glue).map_err(|e| format!("{}: {e}", glue.display()))?;
    let text = rename_glue(&without_unused_classes(&text), &imports, &exports)
        .map_err(|e| format!("{}: {e}", glue.display()))?;
    std::fs::write(&glue, text).map_err(|e| format!("{}: {e}", glue.display()))
}

fn wasm_opt(wasm: &Path) -> Command {
    let mut command = Command::new("wasm-opt");
    command
        .arg(wasm)
        .arg("--quiet")
        .env("PATH", install::tool_path());
    command
}

fn output(command: &mut Command) -> Result<String> {
    let out = command
        .output()
        .map_err(|e| format!("cannot start wasm-opt: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "wasm-opt failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("wasm-opt's mapping: {e}"))
}

/// Old name to new, for imports and for exports; the module is renamed
/// `a` by binaryen.
type Names = BTreeMap<String, String>;

fn read_mapping(mapping: &str) -> Result<(Names, Names)> {
    let start = mapping.find('{').ok_or("wasm-opt printed no mapping")?;
    let json: serde_json::Value =
        serde_json::from_str(&mapping[start..]).map_err(|e| format!("wasm-opt's mapping: {e}"))?;
    let pairs = |key: &str, old: usize, new: usize| -> Result<Names> {
        json[key]
            .as_array()
            .ok_or(format!("wasm-opt's mapping has no {key}"))?
            .iter()
            .map(|entry| {
                let text = |i: usize| entry[i].as_str().map(str::to_owned);
                text(old)
                    .zip(text(new))
                    .ok_or_else(|| format!("wasm-opt's mapping: {entry}"))
            })
            .collect()
    };
    Ok((pairs("imports", 1, 2)?, pairs("exports", 0, 1)?))
}

/// The glue without `wasm-streams`' classes and their finalizers: whole
/// `export class IntoUnderlying…` blocks and the `const …Finalization`
/// statements.
fn without_unused_classes(glue: &str) -> String {
    let mut out = String::with_capacity(glue.len());
    let mut skipping = false;
    let mut lines = glue.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("export class IntoUnderlying") {
            skipping = true;
        }
        if skipping {
            // A class ends at its closing brace, followed by its dispose line.
            if line == "}" {
                skipping = false;
                if lines
                    .peek()
                    .is_some_and(|next| next.starts_with("if (Symbol.dispose) IntoUnderlying"))
                {
                    lines.next();
                }
            }
            continue;
        }
        if line.starts_with("const IntoUnderlying") && line.contains("Finalization") {
            // The statement runs to its `;`.
            for rest in lines.by_ref() {
                if rest.trim_end().ends_with(';') {
                    break;
                }
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The glue with the module's new names: the keys of its import object,
/// the module the object is given as, and every `wasm.name` it calls.
fn rename_glue(glue: &str, imports: &Names, exports: &Names) -> Result<String> {
    if !glue.contains(GLUE_MODULE) {
        return Err(format!("no {GLUE_MODULE} in the glue"));
    }
    let glue = glue.replace(GLUE_MODULE, "\"a\": import0");
    let mut out = String::with_capacity(glue.len());
    let mut in_imports = false;
    let mut dropping = false;
    let mut renamed = 0;
    for line in glue.lines() {
        if dropping {
            // An entry ends with a closing brace at its own indentation
            // (`},`, or `}, arguments); },` for one that catches errors).
            dropping = !line.starts_with("        }");
            continue;
        }
        if line.trim_start().starts_with("const import0 = {") {
            in_imports = true;
        } else if in_imports && line == "    };" {
            in_imports = false;
        } else if in_imports
            && let Some(key) = line
                .strip_prefix("        ")
                .and_then(|rest| rest.split_once(": "))
                .map(|(key, _)| key)
                .filter(|key| *key != "__proto__" && !key.starts_with(' '))
        {
            // One binaryen found dead: the glue need not provide it.
            let Some(new) = imports.get(key) else {
                dropping = !line.ends_with(',');
                continue;
            };
            out.push_str(&format!(
                "        \"{new}\": {}\n",
                &line[8 + key.len() + 2..]
            ));
            renamed += 1;
            continue;
        }
        out.push_str(&rename_exports(line, exports)?);
        out.push('\n');
    }
    if renamed != imports.len() {
        return Err(format!(
            "the glue provides {renamed} imports, the module takes {}",
            imports.len()
        ));
    }
    Ok(out)
}

/// `wasm.name` with the export's new name.
fn rename_exports(line: &str, exports: &Names) -> Result<String> {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("wasm.") {
        let before_is_name = rest[..at]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
        out.push_str(&rest[..at + 5]);
        rest = &rest[at + 5..];
        if before_is_name {
            continue;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        let new = exports
            .get(name)
            .ok_or_else(|| format!("the module does not export {name}"))?;
        out.push_str(new);
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "export class IntoUnderlyingSink {
    write(chunk) {
        return wasm.intounderlyingsink_write(this.__wbg_ptr, chunk);
    }
}
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;
export function mount(p) {
    wasm.mount(p);
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_focus_0a8d: function(arg0) {
            arg0.focus();
        },
        __wbg_open_99ab: function() { return handleError(function (arg0) {
            arg0.open();
        }, arguments); },
    };
    return {
        __proto__: null,
        \"./chorus-widgets_bg.js\": import0,
    };
}
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));
wasm.__wbindgen_start();
";

    fn names(pairs: &[(&str, &str)]) -> Names {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn the_glue_calls_the_module_by_its_new_names_and_loses_the_unused_classes() {
        let imports = names(&[("__wbg_focus_0a8d", "a"), ("__wbg_open_99ab", "d")]);
        let exports = names(&[("mount", "b"), ("__wbindgen_start", "c")]);
        let glue = rename_glue(&without_unused_classes(GLUE), &imports, &exports).expect("renamed");
        assert!(
            glue.contains("        \"d\": function() { return handleError("),
            "{glue}"
        );
        assert!(!glue.contains("IntoUnderlying"), "{glue}");
        assert!(glue.contains("        \"a\": function(arg0) {"), "{glue}");
        assert!(
            glue.contains("    wasm.b(p);") && glue.contains("wasm.c();"),
            "{glue}"
        );
        assert!(glue.contains("\"a\": import0"), "{glue}");
    }

    #[test]
    fn an_import_the_module_no_longer_takes_is_dropped_and_a_missing_one_fails_the_build() {
        let exports = names(&[("mount", "b"), ("__wbindgen_start", "c")]);
        let imports = names(&[("__wbg_open_99ab", "d")]);
        let dropped =
            rename_glue(&without_unused_classes(GLUE), &imports, &exports).expect("renamed");
        assert!(
            !dropped.contains("focus") && dropped.contains("\"d\""),
            "{dropped}"
        );
        // One that catches errors ends differently; what follows it stays.
        let imports = names(&[("__wbg_focus_0a8d", "a")]);
        let dropped =
            rename_glue(&without_unused_classes(GLUE), &imports, &exports).expect("renamed");
        assert!(!dropped.contains("open("), "{dropped}");
        assert!(
            dropped.contains("\"a\": import0") && dropped.contains("wasm.c();"),
            "{dropped}"
        );
        let imports = names(&[("__wbg_focus_0a8d", "a"), ("__wbg_blur_1b2c", "b")]);
        let missing = rename_glue(&without_unused_classes(GLUE), &imports, &exports);
        assert!(missing.is_err());
        let unexported = rename_glue(&without_unused_classes(GLUE), &imports, &Names::new());
        assert!(unexported.is_err());
    }
}
