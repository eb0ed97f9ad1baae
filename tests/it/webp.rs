//! Animated WebP: our files decoded by an independent decoder (the `image` crate's, built on
//! `image-webp`) show the GIF's frames pixel for pixel, with its delays; `info` reads their
//! provenance; `grid --format gif,webp` writes both and `grid --check` checks both.

use crate::common::decode;
use image::AnimationDecoder;
use sgd_anim::internals::{Canvas, Palette, Rect, WebpEncoder};
use sgd_anim::{
    check_grid, inspect, render, run_grid, BatchSize, CheckScope, FileCheck, Format, GridSettings, NoProgress,
    RenderSettings, SceneSettings, Timing, TrainSettings, View,
};
use std::path::Path;
use std::time::Duration;

/// Every frame of a WebP as the `image` crate composes it (RGBA), with its delay in ms.
fn webp_frames(bytes: &[u8]) -> Vec<(Vec<u8>, u32)> {
    let decoder = image::codecs::webp::WebPDecoder::new(std::io::Cursor::new(bytes)).expect("a WebP header");
    decoder
        .into_frames()
        .map(|f| {
            let f = f.expect("a whole frame");
            let (numer, denom) = f.delay().numer_denom_ms();
            (f.into_buffer().into_raw(), numer / denom)
        })
        .collect()
}

/// Every frame of a WebP composed as the format says (RGB): each `ANMF` frame's VP8L image
/// decoded by the `image` crate (as a still WebP of its own), then put on the canvas: a
/// transparent pixel keeps what is there when the frame blends, an opaque one replaces it.
/// (The `image` crate's own compositing blends opaque pixels too, approximately: one level
/// darker; image-rs/image-webp#150. libwebp and the browsers leave them exact.)
fn composed_frames(bytes: &[u8]) -> Vec<Vec<u8>> {
    let u24 = |b: &[u8]| b[0] as usize | (b[1] as usize) << 8 | (b[2] as usize) << 16;
    let (width, height) = (u24(&bytes[24..27]) + 1, u24(&bytes[27..30]) + 1);
    let mut canvas = vec![0u8; width * height * 3];
    let mut frames = vec![];
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        let data = &bytes[at + 8..at + 8 + size];
        if &bytes[at..at + 4] == b"ANMF" {
            let (x0, y0) = (u24(&data[0..3]) * 2, u24(&data[3..6]) * 2);
            let (w, h) = (u24(&data[6..9]) + 1, u24(&data[9..12]) + 1);
            let blend = data[15] & 0b10 == 0;
            assert_eq!(&data[16..20], b"VP8L", "a lossless frame");
            let mut still = b"RIFF".to_vec();
            still.extend_from_slice(&(4 + data.len() as u32 - 16).to_le_bytes());
            still.extend_from_slice(b"WEBP");
            still.extend_from_slice(&data[16..]);
            let image = image::load_from_memory_with_format(&still, image::ImageFormat::WebP).expect("a VP8L image");
            let rgba = image.to_rgba8();
            assert_eq!((rgba.width() as usize, rgba.height() as usize), (w, h));
            for (k, p) in rgba.pixels().enumerate() {
                let (x, y) = (x0 + k % w, y0 + k / w);
                assert!(p[3] == 255 || (p[3] == 0 && blend), "a pixel half transparent, or transparent unblended");
                if p[3] == 255 {
                    canvas[(y * width + x) * 3..][..3].copy_from_slice(&p.0[..3]);
                }
            }
            frames.push(canvas.clone());
        }
        at += 8 + size + size % 2;
    }
    frames
}

/// The WebP `render` writes for `settings` shows the GIF's frames and delays exactly.
fn assert_same_frames(settings: &RenderSettings) {
    let dir = tempfile::tempdir().unwrap();
    let (gif, webp) = (dir.path().join("a.gif"), dir.path().join("a.webp"));
    render(settings, &gif, None, &NoProgress).unwrap();
    render(settings, &webp, None, &NoProgress).unwrap();
    let expected = decode(&std::fs::read(&gif).unwrap());
    let bytes = std::fs::read(&webp).unwrap();
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WEBP");
    let composed = composed_frames(&bytes);
    let frames = webp_frames(&bytes);
    assert_eq!((composed.len(), frames.len()), (expected.frames.len(), expected.frames.len()), "frame count");
    for (k, ((rgb, (rgba, ms)), shown)) in composed.iter().zip(&frames).zip(&expected.frames).enumerate() {
        assert!(*rgb == shown.rgb, "frame {k} shows other pixels than the GIF's");
        assert_eq!(*ms, u32::from(shown.delay) * 10, "frame {k}'s delay");
        // The image crate's whole-animation decoding: opaque, and within its one level.
        let close = rgba
            .chunks_exact(4)
            .zip(shown.rgb.chunks_exact(3))
            .all(|(p, q)| p[3] == 255 && (0..3).all(|c| p[c] == q[c] || p[c] + 1 == q[c]));
        assert!(close, "frame {k}, as the image crate composes it");
    }
    // Fewer bytes than the GIF: what the format is for.
    let gif_len = std::fs::metadata(&gif).unwrap().len();
    assert!((bytes.len() as u64) < gif_len, "{} bytes against the GIF's {gif_len}", bytes.len());
}

#[test]
fn a_webp_shows_the_gifs_frames_and_delays() {
    // The post's look at full size, a mini-batch run.
    let post = RenderSettings {
        train: TrainSettings { lr: 0.1, batch_size: BatchSize::Size(16), steps: 30, ..Default::default() },
        ..Default::default()
    };
    assert_same_frames(&post);
    // Panels whose axes follow the run, an odd size, a hold and a diverging run.
    let scene = SceneSettings { width: 633, height: 251, view: View::All, ..Default::default() };
    let odd = RenderSettings {
        train: TrainSettings { lr: 1.0, batch_size: BatchSize::Size(4), steps: 25, ..Default::default() },
        scene,
        timing: Timing { delay_ms: 70, hold_ms: 2000, loop_count: Some(3) },
        ..Default::default()
    };
    assert_same_frames(&odd);
}

/// Frames of few colours (packed two, four or eight pixels to a byte), odd widths and
/// changed rectangles at odd places decode to the frames given.
#[test]
fn small_palettes_and_odd_rectangles_round_trip() {
    for colours in [1usize, 2, 3, 4, 5, 16, 17, 200] {
        let mut palette = Palette::new([255, 255, 255], &[]);
        for k in 1..colours {
            palette.blend_growing(0, [(k * 7 % 256) as u8, 40, (k * 13 % 256) as u8], 1.0);
        }
        let (w, h) = (37u32, 23u32);
        let mut canvas = Canvas::filled(w, h, 0);
        let mut encoder = WebpEncoder::new(Vec::new(), w, h, &palette, &Timing::default()).unwrap();
        let mut expected = vec![];
        let mut seed = colours as u32;
        for frame in 0..6u32 {
            let region = if frame == 0 {
                canvas.bounds()
            } else {
                let (x0, y0) = (frame * 5 % w, frame * 3 % h);
                let r = Rect { x0, y0, x1: (x0 + 11).min(w), y1: (y0 + 7).min(h) };
                for y in r.y0..r.y1 {
                    for x in r.x0..r.x1 {
                        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        if (seed >> 16).is_multiple_of(3) {
                            canvas.pixels[(y * w + x) as usize] = ((seed >> 8) as usize % palette.colors().len()) as u8;
                        }
                    }
                }
                r
            };
            encoder.push(&canvas, region, Duration::from_millis(20)).unwrap();
            expected.push(canvas.pixels.iter().flat_map(|&i| palette.colors()[usize::from(i)]).collect::<Vec<u8>>());
        }
        let frames = composed_frames(&encoder.finish().unwrap());
        assert_eq!(frames.len(), expected.len());
        for (k, (rgb, want)) in frames.iter().zip(&expected).enumerate() {
            assert!(rgb == want, "{colours} colours, frame {k}");
        }
    }
}

#[test]
fn info_reads_a_webps_provenance_and_timing() {
    let dir = tempfile::tempdir().unwrap();
    let settings = RenderSettings {
        train: TrainSettings { steps: 12, ..Default::default() },
        scene: SceneSettings { width: 240, height: 200, ..Default::default() },
        timing: Timing { delay_ms: 40, hold_ms: 500, loop_count: Some(2) },
        ..Default::default()
    };
    let (gif, webp) = (dir.path().join("x.gif"), dir.path().join("x.webp"));
    render(&settings, &gif, None, &NoProgress).unwrap();
    render(&settings, &webp, None, &NoProgress).unwrap();
    let (from_gif, from_webp) = (inspect(&gif).unwrap(), inspect(&webp).unwrap());
    let provenance = from_webp.provenance.clone().expect("our WebP carries its command");
    assert_eq!(Some(&provenance), from_gif.provenance.as_ref());
    assert_eq!(provenance.comment(), settings.comment(100));
    let s = &from_webp.summary;
    assert_eq!((s.width, s.height, s.frames(), s.loop_count), (240, 200, 13, Some(2)));
    assert_eq!(s.delays, vec![(4, 12), (50, 1)]);
    let text = from_webp.text(&webp);
    assert!(text.contains("x.webp\n") && text.contains("-o "), "{text}");
}

#[test]
fn grid_writes_and_checks_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let small = RenderSettings {
        train: TrainSettings { steps: 8, ..Default::default() },
        scene: SceneSettings { width: 200, height: 200, ..Default::default() },
        ..Default::default()
    };
    let settings = GridSettings {
        base: small,
        lrs: vec![0.1, 1.0],
        batch_sizes: vec![4, 16],
        gd_lrs: vec![0.1],
        out_dir: dir.path().to_path_buf(),
        formats: vec![Format::Gif, Format::Webp],
        ..Default::default()
    };
    let report = run_grid(&settings, &NoProgress).unwrap();
    assert!(report.failures().is_empty(), "{:?}", report.failures());
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    for stem in ["line_gd_0.1", "line_sgd_0.1_4", "line_sgd_1.0_16", "compare_lr_bs16"] {
        for ext in ["gif", "webp", "png"] {
            assert!(names.contains(&format!("{stem}.{ext}")), "{stem}.{ext} in {names:?}");
        }
    }
    let check = check_grid(&settings, CheckScope::Everything, &NoProgress).unwrap();
    assert!(check.mismatches().is_empty(), "{:?}", check.mismatches());
    assert!(check.files.iter().any(|(p, _)| p.extension().is_some_and(|e| e == "webp")));
    // A WebP made with other settings is named as such, from its provenance.
    let other = RenderSettings { train: TrainSettings { steps: 5, ..Default::default() }, ..settings.base.clone() };
    render(&other, &dir.path().join("line_gd_0.1.webp"), None, &NoProgress).unwrap();
    let check = check_grid(&settings, CheckScope::Gifs, &NoProgress).unwrap();
    let (_, found) = check.files.iter().find(|(p, _)| p.ends_with("line_gd_0.1.webp")).unwrap();
    assert!(matches!(found, FileCheck::Differs(why) if why.contains("--steps 5")), "{found:?}");
    // Without webp in the list, the default grid writes GIFs alone.
    assert_eq!(GridSettings::default().formats, vec![Format::Gif]);
}

#[test]
fn the_format_follows_the_output_name() {
    assert_eq!(Format::of_path(Path::new("a.WEBP")), Some(Format::Webp));
    let dir = tempfile::tempdir().unwrap();
    let err = render(&RenderSettings::default(), &dir.path().join("x.png"), None, &NoProgress).unwrap_err();
    assert!(err.to_string().contains(".gif or .webp"), "{err}");
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "nothing written");
}

/// The format is the name given, not the file a link leads to: `-o anim.webp`, a link to
/// `target.img`, writes a WebP there (for render and replay alike), and `anim.gif` a GIF.
#[cfg(unix)]
#[test]
fn a_link_named_webp_gets_a_webp() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.img");
    std::fs::write(&target, b"").unwrap();
    std::os::unix::fs::symlink("target.img", dir.path().join("anim.webp")).unwrap();
    std::os::unix::fs::symlink("target.img", dir.path().join("anim.gif")).unwrap();
    let is_webp = |bytes: &[u8]| bytes.len() > 16 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP";
    let settings = RenderSettings { train: TrainSettings { steps: 3, ..Default::default() }, ..Default::default() };
    render(&settings, &dir.path().join("anim.webp"), None, &NoProgress).unwrap();
    assert!(is_webp(&std::fs::read(&target).unwrap()), "render -o anim.webp wrote no WebP");
    render(&settings, &dir.path().join("anim.gif"), None, &NoProgress).unwrap();
    assert_eq!(&std::fs::read(&target).unwrap()[..6], b"GIF89a");
    let trace = dir.path().join("run.json");
    let out = crate::common::sgd_anim_in(dir.path())
        .args(["render", "--steps", "3", "-q", "-o", "x.gif", "--trace"])
        .arg(&trace)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out =
        crate::common::sgd_anim_in(dir.path()).args(["replay", "run.json", "-q", "-o", "anim.webp"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(is_webp(&std::fs::read(&target).unwrap()), "replay -o anim.webp wrote no WebP");
}
