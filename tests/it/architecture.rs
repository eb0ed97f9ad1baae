//! The house's walls: the library's stages depend only on the stages before them, and the
//! files inside a stage folder form no cycle. Read from the `use crate::` / `super::` paths of
//! the sources, so a new back edge fails here, naming the file and the line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stages in pipeline order (README, "How it works"), a level at a time: each stage may use
/// only the stages of earlier levels. Stages of one level stand side by side and never use each
/// other: `train` and `replay` are the two sources of a run, `render` and `encode` the two
/// halves that meet in a job (pixels made, pixels written). `format` (numbers as text) is a
/// utility that uses nothing of ours, so it sits just above `error`, where every stage that
/// spells a number can reach it without a back edge (the settings fields and their flags are
/// `error::Field`).
const STAGES: &[&[&str]] = &[
    &["error"],
    &["format"],
    &["run"],
    &["train", "replay"],
    &["raster"],
    &["render", "encode"],
    &["output"],
    &["job"],
    &["grid"],
    &["lib"],
];

/// Earlier stages a stage must not use all the same: the drawing and the encoder draw and write
/// the run model, never where a run came from (`grep -rn replay src/render` finds nothing).
const APART: &[(&str, &str)] = &[
    ("render", "train"),
    ("render", "replay"),
    ("encode", "train"),
    ("encode", "replay"),
    ("raster", "train"),
    ("raster", "replay"),
];

/// The level of a stage in [`STAGES`], if it is there.
fn level(stage: &str) -> Option<usize> {
    STAGES.iter().position(|level| level.contains(&stage))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().unwrap() != "bin" {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/render/caption.rs` -> ["render", "caption"]; `src/render/mod.rs` -> ["render"].
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The module paths a line names: `crate::a::b` and `super::c` (resolved against `module`;
/// in `a/b.rs` and in `a/mod.rs` alike, `super` is `module` less its last part).
fn references(line: &str, module: &[String]) -> Vec<Vec<String>> {
    let parent = module[..module.len().saturating_sub(1)].to_vec();
    let mut found = vec![];
    for (prefix, base) in [("crate::", vec![]), ("super::", parent)] {
        let mut rest = line;
        while let Some(i) = rest.find(prefix) {
            let before = rest[..i].chars().last();
            rest = &rest[i + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            let mut path = base.clone();
            path.extend(word.split("::").filter(|s| !s.is_empty()).map(str::to_string));
            found.push(path);
        }
    }
    found
}

/// The rule, over (module path, source text) pairs: no stage uses a later one or one beside it,
/// no cycle among the files (and subfolders) of a folder, at any depth. The error lists what
/// breaks it.
fn check(files: &[(Vec<String>, String)]) -> Result<(), String> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut problems = vec![];
    // Sibling edges inside each folder: folder -> (from -> {to}).
    let mut siblings: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (module, text) in files {
        let stage = module.first().cloned().unwrap_or_else(|| "lib".into());
        let Some(rank) = level(&stage) else {
            problems.push(format!("{}: stage '{stage}' is not in STAGES; add it in pipeline order", module.join("/")));
            continue;
        };
        let code = text.split("\n#[cfg(test)]").next().unwrap_or_default();
        for (no, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or_default();
            for target in references(line, module) {
                // The longest module the path names (the rest are items).
                let Some(target) = (1..=target.len()).rev().map(|k| target[..k].to_vec()).find(|m| modules.contains(m))
                else {
                    continue;
                };
                let target_rank = level(&target[0]).unwrap_or(usize::MAX);
                if target[0] != stage && target_rank >= rank {
                    let how = if target_rank == rank { "the stage beside it" } else { "later stage" };
                    problems.push(format!(
                        "{}:{}: stage '{stage}' uses {how} '{}'",
                        module.join("/"),
                        no + 1,
                        target[0]
                    ));
                } else if APART.contains(&(stage.as_str(), target[0].as_str())) {
                    problems.push(format!(
                        "{}:{}: stage '{stage}' uses source '{}'; use the run model (src/run/) instead",
                        module.join("/"),
                        no + 1,
                        target[0]
                    ));
                }
                // The edge joins two siblings in the deepest folder holding both files: in
                // render/, `panels/line.rs -> geometry.rs` is `panels -> geometry` (a subfolder
                // is one node of its parent's graph), and in render/panels/, `line -> loss`.
                // A folder's mod.rs and its children (re-exports, the trait they implement)
                // are parent and child, not siblings.
                let shared = module.iter().zip(&target).take_while(|(a, b)| a == b).count();
                if shared >= 1 && shared < module.len() && shared < target.len() {
                    let folder = siblings.entry(module[..shared].join("/")).or_default();
                    folder.entry(module[shared].clone()).or_default().insert(target[shared].clone());
                }
            }
        }
    }
    for (folder, graph) in &siblings {
        let mut done = BTreeSet::new();
        for start in graph.keys() {
            if let Some(cycle) = cycle_from(start, graph, &mut vec![], &mut done) {
                problems.push(format!("a cycle inside src/{folder}/: {}", cycle.join(" -> ")));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Depth-first search for a cycle through `node`.
fn cycle_from<'a>(
    node: &'a str,
    graph: &'a BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<&'a str>,
    done: &mut BTreeSet<&'a str>,
) -> Option<Vec<String>> {
    if let Some(i) = path.iter().position(|n| *n == node) {
        return Some(path[i..].iter().map(|s| s.to_string()).chain([node.to_string()]).collect());
    }
    if !done.insert(node) {
        return None;
    }
    path.push(node);
    for next in graph.get(node).into_iter().flatten() {
        if let Some(cycle) = cycle_from(next, graph, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    None
}

#[test]
fn stages_depend_only_on_earlier_stages_and_folders_have_no_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    sources(&src, &mut files);
    files.sort();
    let files: Vec<(Vec<String>, String)> =
        files.iter().map(|f| (module_of(&src, f), std::fs::read_to_string(f).unwrap())).collect();
    assert!(files.len() > 20, "read the sources");
    if let Err(problems) = check(&files) {
        panic!("{problems}");
    }
}

#[test]
fn the_check_finds_a_back_edge_and_a_cycle() {
    let m = |p: &str| p.split('/').map(String::from).collect::<Vec<_>>();
    assert_eq!(references("use crate::run::{Run, Snapshot};", &m("render/caption")), vec![m("run")]);
    assert_eq!(references("use super::scene::Overlay;", &m("render/caption")), vec![m("render/scene/Overlay")]);
    assert!(references("let x = my_crate::thing;", &m("render/caption")).is_empty());
    let files = |pairs: &[(&str, &str)]| pairs.iter().map(|(p, t)| (m(p), t.to_string())).collect::<Vec<_>>();
    let good = files(&[
        ("train", "use crate::error::Error; use crate::run::Run;"),
        ("run", "use crate::format::python_float;"),
        ("error", ""),
        ("format", ""),
        ("job", "use crate::train::x; use crate::replay::y;"),
        ("replay", "use crate::run::Curves;"),
    ]);
    assert_eq!(check(&good), Ok(()));
    let back = files(&[("train", "use crate::job::render;"), ("job", "")]);
    assert!(check(&back).unwrap_err().contains("stage 'train' uses later stage 'job'"));
    // The model at the bottom uses neither source, and the sources do not use each other.
    let model = files(&[("run", "use crate::train::Dataset;"), ("train", "")]);
    assert!(check(&model).unwrap_err().contains("stage 'run' uses later stage 'train'"), "{:?}", check(&model));
    let beside = files(&[("replay", "use crate::train::mse;"), ("train", "use crate::run::Run;"), ("run", "")]);
    assert!(check(&beside).unwrap_err().contains("stage 'replay' uses the stage beside it 'train'"));
    let drawing = files(&[("render/scene", "use crate::replay::Curves;"), ("render", ""), ("replay", "")]);
    assert!(check(&drawing).unwrap_err().contains("stage 'render' uses source 'replay'"), "{:?}", check(&drawing));
    let encoder = files(&[("encode", "fn f() { crate::render::Scene::new() }"), ("render", "")]);
    assert!(check(&encoder).unwrap_err().contains("stage 'encode' uses the stage beside it 'render'"));
    let cycle = files(&[("render", ""), ("render/a", "use super::b::X;"), ("render/b", "fn f() { super::a::y() }")]);
    assert!(check(&cycle).unwrap_err().contains("a cycle inside src/render/: a -> b -> a"), "{:?}", check(&cycle));
    // One level down: the files of render/panels/ are checked among themselves...
    let nested = files(&[
        ("render", ""),
        ("render/panels", "mod a; mod b; pub use a::A;"),
        ("render/panels/a", "use super::b::B; use super::Panel;"),
        ("render/panels/b", "use crate::render::panels::a::A;"),
    ]);
    assert!(
        check(&nested).unwrap_err().contains("a cycle inside src/render/panels/: a -> b -> a"),
        "{:?}",
        check(&nested)
    );
    // ... and the subfolder as a whole is one node among render/'s files.
    let through = files(&[
        ("render", ""),
        ("render/scene", "use super::panels::Panel;"),
        ("render/panels", ""),
        ("render/panels/line", "use crate::render::scene::Overlay;"),
    ]);
    assert!(
        check(&through).unwrap_err().contains("a cycle inside src/render/: panels -> scene -> panels"),
        "{:?}",
        check(&through)
    );
    // A panel using its folder's trait, and the folder's mod.rs naming its panels, is no cycle.
    let parent = files(&[
        ("render", ""),
        ("render/geometry", ""),
        ("render/panels", "mod line; pub use line::LinePanel; use super::geometry::Chart;"),
        ("render/panels/line", "use super::{Panel, Layout}; use crate::render::geometry::Chart;"),
    ]);
    assert_eq!(check(&parent), Ok(()));
    // Test code may reach anywhere.
    let tests = files(&[("train", "fn f() {}\n#[cfg(test)]\nmod tests { use crate::job::x; }"), ("job", "")]);
    assert_eq!(check(&tests), Ok(()));
    // Every stage is named once, in pipeline order.
    let flat: Vec<&str> = STAGES.iter().flat_map(|level| level.iter().copied()).collect();
    assert_eq!(
        flat,
        ["error", "format", "run", "train", "replay", "raster", "render", "encode", "output", "job", "grid", "lib"]
    );
}
