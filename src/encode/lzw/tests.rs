//! The encoder's streams against weezl's encoder and a plain reference encoder, byte for byte;
//! decoded pictures with alternates; the bookkeeping of tables, widths and clears.

use super::*;
use rand::{rngs::StdRng, Rng, SeedableRng};

fn decode(min_code_size: u8, stream: &[u8]) -> Vec<u8> {
    weezl::decode::Decoder::new(weezl::BitOrder::Lsb, min_code_size).decode(stream).unwrap()
}

fn round_trip(data: &[u8], t: u8) {
    let m = min_code_size(data).max(min_code_size(&[t]));
    let mut enc = LzwEncoder::default();
    let mut out = vec![];
    enc.encode_with_alternates(data, None, m, t, &mut out);
    assert_eq!(decode(m, &out), data, "len {}", data.len());
    // Reusing the encoder gives the same stream.
    let mut again = vec![];
    enc.encode_with_alternates(data, None, m, t, &mut again);
    assert_eq!(again, out);
}

#[test]
fn round_trips_through_weezl() {
    let mut rng = StdRng::seed_from_u64(1);
    round_trip(&[], 0);
    round_trip(&[5], 5);
    round_trip(&[5, 5, 5, 5], 5);
    round_trip(&vec![7u8; 100_000], 7);
    for &(len, colours, run_bias) in
        &[(1000, 4, 0.0), (50_000, 200, 0.5), (300_000, 60, 0.97), (200_000, 2, 0.99), (70_000, 256, 0.0)]
    {
        let t = (colours - 1) as u8;
        let data: Vec<u8> =
            (0..len).map(|_| if rng.random_bool(run_bias) { t } else { rng.random_range(0..colours) as u8 }).collect();
        round_trip(&data, t);
    }
    // Runs of several symbols, long and short, as in a frame whose unchanged pixels show
    // the page colour: every symbol's runs are skipped.
    let mut data = vec![];
    while data.len() < 300_000 {
        let len = if rng.random_bool(0.3) { rng.random_range(1..5000) } else { rng.random_range(1..6) };
        data.extend(std::iter::repeat_n(rng.random_range(0..6u8), len));
    }
    round_trip(&data, 5);
    // Long runs broken by single pixels, as in a delta frame.
    let mut data = vec![3u8; 400_000];
    for k in (0..data.len()).step_by(577) {
        data[k] = (k % 3) as u8;
    }
    round_trip(&data, 3);
}

#[test]
fn alternates_decode_to_the_same_picture() {
    let mut rng = StdRng::seed_from_u64(3);
    let (t, len) = (20u8, 120_000);
    let shown: Vec<u8> = (0..len).map(|i| ((i / 7) % 5) as u8).collect();
    let data: Vec<u8> = (0..len).map(|_| if rng.random_bool(0.8) { t } else { rng.random_range(0..20) }).collect();
    let mut enc = LzwEncoder::default();
    let (mut plain, mut alt) = (vec![], vec![]);
    enc.encode_with_alternates(&data, None, 5, t, &mut plain);
    enc.encode_with_alternates(&data, Some(Shown::contiguous(&shown)), 5, t, &mut alt);
    assert!(alt.len() < plain.len(), "{} vs {}", alt.len(), plain.len());
    let decoded = decode(5, &alt);
    for i in 0..len {
        let ok = decoded[i] == data[i] || (data[i] == t && decoded[i] == shown[i]);
        assert!(ok, "pixel {i}: {} for {} (shown {})", decoded[i], data[i], shown[i]);
    }
}

/// One encoder used for many streams (code sizes, alternates, tables filled and cleared)
/// writes each as a fresh encoder does: resets leave nothing behind.
#[test]
fn a_reused_encoder_writes_what_a_fresh_one_writes() {
    let mut rng = StdRng::seed_from_u64(6);
    let mut reused = LzwEncoder::default();
    for trial in 0..60 {
        let m = rng.random_range(2..=8u8);
        let top = 1u32 << m;
        let len = if trial % 5 == 0 { 150_000 } else { rng.random_range(0..3000) };
        let alphabet: Vec<u8> = (0..top.min(20)).map(|s| s as u8).collect();
        // A delta frame: mostly the transparent index, in runs, between other symbols.
        let t = alphabet[rng.random_range(0..alphabet.len())];
        let mut data = runs(&mut rng, len, &alphabet, 0.6, 300);
        data.iter_mut().filter(|_| rng.random_bool(0.6)).for_each(|s| *s = t);
        let shown: Vec<u8> = (0..len).map(|i| ((i / 13) as u32 % top) as u8).collect();
        let alternates = rng.random_bool(0.5).then_some(Shown::contiguous(&shown));
        let (mut ours, mut fresh) = (vec![], vec![]);
        reused.encode_with_alternates(&data, alternates, m, t, &mut ours);
        LzwEncoder::default().encode_with_alternates(&data, alternates, m, t, &mut fresh);
        assert!(ours == fresh, "trial {trial}: code size {m}, {len} symbols");
    }
}

/// The width kept as codes are added is the decoder's (enough bits for the next free code
/// less one, from m + 1 to 12) at every code of every code size, through a full table, its
/// clear and the next table.
#[test]
fn the_code_width_follows_the_next_free_code_through_clears() {
    for m in 2..=8u32 {
        let clear = 1u32 << m;
        let mut encoder = LzwEncoder::default();
        encoder.reset(clear);
        let mut out = vec![];
        let mut w = Writer { out: &mut out, acc: 0, bits: 0, next: clear + 2, width: m + 1 };
        let (mut prefix, mut clears) = (0, 0);
        for k in 0..2 * MAX_CODES {
            let decoders = (32 - (w.next - 1).leading_zeros()).clamp(m + 1, 12);
            assert_eq!(w.width, decoders, "code size {m}, next free code {}", w.next);
            // Strings that mostly end unlike their prefix: hash table entries.
            let symbol = (k % 2) as u8;
            if let Some(code) = encoder.add_or_clear(prefix, symbol, clear, &mut w) {
                prefix = code;
            } else {
                assert_eq!((w.next, w.width), (clear + 2, m + 1), "code size {m}: a clear");
                (prefix, clears) = (0, clears + 1);
            }
        }
        assert_eq!(clears, 2, "code size {m}");
    }
}

#[test]
fn leading_counts_equal_bytes_across_word_boundaries() {
    for (len, at) in [
        (0, 0),
        (3, 3),
        (17, 17),
        (17, 8),
        (40, 33),
        (40, 0),
        (100, 31),
        (100, 32),
        (100, 70),
        (100, 100),
        (200, 63),
        (200, 64),
        (200, 71),
        (200, 72),
        (200, 130),
        (200, 200),
        (7, 7),
        (8, 8),
        (9, 8),
    ] {
        let mut s = vec![7u8; len];
        if at < len {
            s[at] = 1;
        }
        assert_eq!(leading(&s, 7), at.min(len), "len {len}, other byte at {at}");
    }
}

#[test]
fn alternates_above_the_code_size_are_never_written() {
    // The frame's own symbols fit 3 bits; what is shown under its transparent pixels may
    // not, and such a colour must not be looked up (its bits would fall into the prefix's).
    let mut rng = StdRng::seed_from_u64(4);
    let (t, len) = (7u8, 60_000);
    let data: Vec<u8> = (0..len).map(|_| if rng.random_bool(0.7) { t } else { rng.random_range(0..7) }).collect();
    let shown: Vec<u8> = (0..len).map(|i| if (i / 50) % 3 == 0 { rng.random_range(0..=255) } else { 2 }).collect();
    let mut out = vec![];
    LzwEncoder::default().encode_with_alternates(&data, Some(Shown::contiguous(&shown)), 3, t, &mut out);
    let decoded = decode(3, &out);
    assert_eq!(decoded.len(), len);
    for i in 0..len {
        let ok = decoded[i] == data[i] || (data[i] == t && decoded[i] == shown[i] && shown[i] < 8);
        assert!(ok, "pixel {i}: {} for {} (shown {})", decoded[i], data[i], shown[i]);
    }
}

/// A plain greedy GIF LZW encoder, written for clarity rather than speed: a map from
/// (prefix code, symbol) to code, one symbol a step. With `forget_17th` it also does what
/// weezl 0.1's encoder does: the 17th string added after a given prefix gets its code (the
/// decoder defines that code whatever the encoder does) but is never found again.
/// weezl keeps up to 16 continuations of a prefix in a short list; when a 17th comes,
/// `Tree::append` turns the list into a 256-entry table, copies the 16 into it and leaves
/// the new one out. Later continuations go into the table and are found.
fn reference(data: &[u8], m: u8, forget_17th: bool) -> Vec<u8> {
    let m = u32::from(m);
    let (clear, end) = (1u32 << m, (1u32 << m) + 1);
    let mut out = vec![];
    let (mut acc, mut bits) = (0u64, 0u32);
    let mut put = |code: u32, width: u32, out: &mut Vec<u8>| {
        acc |= u64::from(code) << bits;
        bits += width;
        while bits >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            bits -= 8;
        }
    };
    // The width a decoder reads the next code with: enough bits for its next free code,
    // which is one behind the encoder's (the decoder defines a code one code later).
    let width = |next: u32| (32 - (next - 1).leading_zeros()).clamp(m + 1, 12);
    let mut dictionary = std::collections::HashMap::<(u32, u8), u32>::new();
    let mut continuations = std::collections::HashMap::<u32, usize>::new();
    let mut next = clear + 2;
    put(clear, m + 1, &mut out);
    if let Some((&first, rest)) = data.split_first() {
        let mut prefix = u32::from(first);
        for &symbol in rest {
            if let Some(&code) = dictionary.get(&(prefix, symbol)) {
                prefix = code;
                continue;
            }
            put(prefix, width(next), &mut out);
            if next < 4096 {
                let count = continuations.entry(prefix).or_default();
                *count += 1;
                if !(forget_17th && *count == 17) {
                    dictionary.insert((prefix, symbol), next);
                }
                next += 1;
            } else {
                // The table is full: a clear code, at the width the decoder is at (12).
                put(clear, 12, &mut out);
                dictionary.clear();
                continuations.clear();
                next = clear + 2;
            }
            prefix = u32::from(symbol);
        }
        put(prefix, width(next), &mut out);
    }
    // Reading the last code, the decoder defines one more: the end code's width counts it.
    put(end, width(next + u32::from(!data.is_empty())), &mut out);
    if bits > 0 {
        out.push(acc as u8);
    }
    out
}

fn ours(data: &[u8], m: u8) -> Vec<u8> {
    let mut out = vec![];
    LzwEncoder::default().encode(data, m, &mut out);
    out
}

fn weezl(data: &[u8], m: u8) -> Vec<u8> {
    weezl::encode::Encoder::new(weezl::BitOrder::Lsb, m).encode(data).unwrap()
}

/// How many clear codes a stream has after its first: the tests must fill the table.
fn clears(stream: &[u8], m: u8) -> usize {
    let clear = 1u32 << m;
    stream_codes(stream, m).iter().filter(|&&c| c == clear).count().saturating_sub(1)
}

/// Seeded data in runs: `symbols` chosen among `alphabet`, runs up to `longest` long with
/// probability `runs`, single symbols otherwise.
fn runs(rng: &mut StdRng, len: usize, alphabet: &[u8], runs: f64, longest: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(len);
    while data.len() < len {
        let symbol = alphabet[rng.random_range(0..alphabet.len())];
        let run = if rng.random_bool(runs) { rng.random_range(1..=longest) } else { 1 };
        data.extend(std::iter::repeat_n(symbol, run.min(len - data.len())));
    }
    data
}

/// The module's claim, against weezl's encoder: the same stream, byte for byte (clear and
/// end codes, code widths, bit packing), for every code size. With at most 16 distinct symbols
/// no prefix has a 17th continuation, the one weezl loses (see [`reference`]); the tables
/// fill and clear many times.
#[test]
fn equals_weezls_stream_byte_for_byte() {
    let mut rng = StdRng::seed_from_u64(2);
    let mut cleared = 0;
    for m in 2..=8u8 {
        // 16 symbols spread over the code size's range (all 4 or 8 of the smaller ones).
        let top = 1u32 << m;
        let spread = top / top.min(16);
        let alphabet: Vec<u8> = (0..top.min(16)).map(|k| (k * spread + (spread - 1) * (k % 2)) as u8).collect();
        let mut inputs: Vec<Vec<u8>> = (0..6).map(|n| alphabet[..n.min(alphabet.len())].to_vec()).collect();
        inputs.push(vec![alphabet[1]; 100_000]);
        for (runs_p, longest) in [(0.0, 1), (0.3, 8), (0.5, 3000), (0.9, 40)] {
            for len in [7, 300, 5000, 60_000] {
                inputs.push(runs(&mut rng, len, &alphabet, runs_p, longest));
            }
        }
        // Mostly one symbol, as in a delta frame.
        let t = alphabet[alphabet.len() - 1];
        inputs.push(
            (0..200_000)
                .map(|_| if rng.random_bool(0.9) { t } else { alphabet[rng.random_range(0..alphabet.len())] })
                .collect(),
        );
        for data in &inputs {
            let ours = ours(data, m);
            assert_eq!(ours, weezl(data, m), "code size {m}, {} symbols", data.len());
            cleared += clears(&ours, m);
        }
        // Every prefix of a noisy input: the last code and the end code at every width,
        // before and after each change of width.
        let noise = runs(&mut rng, 4500, &alphabet, 0.1, 4);
        let mut encoder = LzwEncoder::default();
        for n in 0..=noise.len() {
            let mut ours = vec![];
            encoder.encode(&noise[..n], m, &mut ours);
            assert_eq!(ours, weezl(&noise[..n], m), "code size {m}, the first {n} symbols");
        }
    }
    assert!(cleared >= 50, "the tables filled only {cleared} times");
}

/// Any alphabet, up to 256 symbols: the same stream as the plain greedy encoder. With more
/// than 16 symbols weezl's stream can differ, and then only by its lost 17th entries:
/// the reference encoder that loses them too gives weezl's bytes.
#[test]
fn equals_a_plain_greedy_encoder_and_weezl_differs_only_by_its_lost_entries() {
    let mut rng = StdRng::seed_from_u64(5);
    let (mut weezl_differs, mut many_symbols) = (0, 0);
    for trial in 0..300 {
        let m = rng.random_range(2..=8u8);
        let alphabet: Vec<u8> = (0..rng.random_range(1..=1u32 << m)).map(|s| s as u8).collect();
        let len = if trial % 10 == 0 { rng.random_range(0..150_000) } else { rng.random_range(0..4000) };
        // Mostly single symbols, so that prefixes gather many continuations, or long runs.
        let (runs_p, longest) =
            if trial % 3 == 0 { (0.5, 3000) } else { (rng.random_range(0.0..0.5), rng.random_range(1..50)) };
        let data = runs(&mut rng, len, &alphabet, runs_p, longest);
        let ours = ours(&data, m);
        assert_eq!(ours, reference(&data, m, false), "code size {m}, {} symbols, {len} long", alphabet.len());
        let theirs = weezl(&data, m);
        assert_eq!(theirs, reference(&data, m, true), "weezl, code size {m}, {} symbols", alphabet.len());
        if theirs != ours {
            assert!(alphabet.len() > 16, "weezl differs with {} symbols", alphabet.len());
            weezl_differs += 1;
        }
        many_symbols += usize::from(alphabet.len() > 16);
    }
    // The difference is seen (30 of the 122 inputs with more than 16 symbols, the long ones).
    assert!(weezl_differs >= 10, "weezl differs on {weezl_differs} of {many_symbols} inputs");
}

proptest::proptest! {
    /// Random runs of random symbols, every code size: the greedy reference's stream, and
    /// weezl's whenever no prefix can have 17 continuations.
    #[test]
    fn random_streams_equal_the_greedy_reference(
        m in 2..=8u8,
        // Symbols and their run lengths, most of them single.
        pieces in proptest::collection::vec((0..=255u8, proptest::prop_oneof![3 => proptest::strategy::Just(1usize), 1 => 2..400usize]), 0..300),
    ) {
        let data: Vec<u8> = pieces
            .iter()
            .flat_map(|&(s, n)| std::iter::repeat_n((u32::from(s) % (1 << m)) as u8, n))
            .collect();
        let ours = ours(&data, m);
        proptest::prop_assert_eq!(&ours, &reference(&data, m, false));
        proptest::prop_assert_eq!(weezl(&data, m), reference(&data, m, true));
        let distinct = data.iter().collect::<std::collections::BTreeSet<_>>().len();
        if distinct <= 16 {
            proptest::prop_assert_eq!(ours, weezl(&data, m));
        }
    }
}
