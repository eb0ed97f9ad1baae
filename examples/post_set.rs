//! A set for a blog post: the learning-rate row of the post (batch size 16) into a folder,
//! with image paths as the site will serve them, then the Markdown to paste.
//!
//! `cargo run --example post_set -- output/post /images/sgd/`

use sgd_anim::prelude::*;
use sgd_anim::NoProgress;

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let out_dir = args.next().unwrap_or_else(|| "output/post".into());
    let base_url = args.next().unwrap_or_else(|| "/images/sgd/".into());
    let grid = GridSettings {
        lrs: vec![0.01, 0.1, 1.0],
        batch_sizes: vec![16],
        gd_lrs: vec![0.1],
        out_dir: out_dir.clone().into(),
        base_url,
        ..Default::default()
    };
    let report = run_grid(&grid, &NoProgress)?;
    print!("{}", sgd_anim::cli::summary_table(&report.outcomes));
    let markdown = std::fs::read_to_string(std::path::Path::new(&out_dir).join("index.md"))
        .map_err(|source| Error::Io { action: "read", path: out_dir.into(), source })?;
    println!("\n--- paste into the post ---\n{markdown}");
    report.error().map_or(Ok(()), Err)
}
