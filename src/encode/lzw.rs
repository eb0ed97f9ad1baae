//! GIF's LZW, written for frames that are mostly runs (of the transparent index, of the page):
//! a run of one symbol is consumed in one step per emitted code instead of one step per pixel.
//! Without alternates the output is the same code stream a plain greedy LZW encoder would
//! write; with them, the parse stays greedy but may take a shown colour for a transparent pixel.

const MAX_CODES: u32 = 4096;
const MAX_WIDTH: u32 = 12;

/// A reusable encoder: its dictionary (4 MiB, of which a frame with smaller codes uses less) is
/// allocated once and reset by a generation count.
pub struct LzwEncoder {
    /// `table[prefix << min_code_size | symbol] = (generation << 12) | code`: the smaller the
    /// code size, the fewer cache lines the dictionary spans.
    table: Vec<u32>,
    generation: u32,
    /// `run_codes[s * RUN_SLOTS + k]` is the code of k repeats of symbol `s`, for
    /// `k <= longest_run[s]`.
    run_codes: Vec<u16>,
    longest_run: [u16; 256],
}

impl std::fmt::Debug for LzwEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LzwEncoder").field("table_entries", &self.table.len()).finish_non_exhaustive()
    }
}

/// Room for runs of every length a table of 4096 codes can hold.
const RUN_SLOTS: usize = MAX_CODES as usize + 2;

impl Default for LzwEncoder {
    fn default() -> Self {
        LzwEncoder {
            table: vec![0; MAX_CODES as usize * 256],
            generation: 0,
            run_codes: vec![0; 256 * RUN_SLOTS],
            longest_run: [0; 256],
        }
    }
}

struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    bits: u32,
}

impl BitWriter<'_> {
    #[inline]
    fn put(&mut self, code: u32, width: u32) {
        self.acc |= u64::from(code) << self.bits;
        self.bits += width;
        while self.bits >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.bits -= 8;
        }
    }

    fn flush(&mut self) {
        if self.bits > 0 {
            self.out.push(self.acc as u8);
        }
    }
}

/// How many bytes at the start of `s` equal `b`, eight at a time.
#[must_use]
pub fn leading(s: &[u8], b: u8) -> usize {
    let all = u64::from_ne_bytes([b; 8]);
    let mut i = 0;
    while i + 8 <= s.len() && u64::from_ne_bytes(s[i..i + 8].try_into().unwrap_or_default()) == all {
        i += 8;
    }
    i + s[i..].iter().take_while(|&&c| c == b).count()
}

fn bit_length(v: u32) -> u32 {
    32 - v.leading_zeros()
}

/// The smallest GIF minimum code size that holds every symbol of `data` (at least 2).
#[must_use]
pub fn min_code_size(data: &[u8]) -> u8 {
    let max = u32::from(data.iter().copied().max().unwrap_or(0));
    bit_length(max).max(2) as u8
}

impl LzwEncoder {
    /// A fresh dictionary: the roots only, each symbol's longest known run one long.
    fn reset(&mut self) {
        for s in 0..256 {
            self.longest_run[s] = 1;
            self.run_codes[s * RUN_SLOTS + 1] = s as u16;
        }
        self.generation += 1;
        if self.generation >= 1 << 20 {
            self.table.iter_mut().for_each(|e| *e = 0);
            self.generation = 1;
        }
    }

    /// Gives `key` the next free code; when the table is full, writes a clear code and
    /// starts a fresh table instead (returning `None`).
    #[inline]
    fn add_or_clear(&mut self, key: usize, next: &mut u32, clear: u32, w: &mut BitWriter) -> Option<u32> {
        if *next < MAX_CODES {
            self.table[key] = (self.generation << 12) | *next;
            *next += 1;
            Some(*next - 1)
        } else {
            w.put(clear, MAX_WIDTH);
            self.reset();
            *next = clear + 2;
            None
        }
    }

    #[inline]
    fn get(&self, key: usize) -> Option<u32> {
        let e = self.table[key];
        (e >> 12 == self.generation).then_some(e & 0xFFF)
    }

    /// Appends the LZW code stream of `data` (clear code first, end code last) to `out`.
    #[cfg(test)]
    pub fn encode(&mut self, data: &[u8], min_code_size: u8, out: &mut Vec<u8>) {
        self.encode_with_alternates(data, None, min_code_size, 0, out)
    }

    /// Like [`LzwEncoder::encode`], but where `data[i]` is `transparent` (an unchanged pixel)
    /// the encoder may write `alternates[i]` instead (the colour already shown there) when
    /// that extends the current match: the picture is the same, the stream shorter.
    pub fn encode_with_alternates(
        &mut self,
        data: &[u8],
        alternates: Option<&[u8]>,
        min_code_size: u8,
        transparent: u8,
        out: &mut Vec<u8>,
    ) {
        let m = u32::from(min_code_size);
        let clear = 1u32 << m;
        let end = clear + 1;
        let width_for = |next: u32| bit_length(next - 1).clamp(m + 1, MAX_WIDTH);
        // Every symbol written is below `clear`, so `m` bits of the key hold it.
        let key_of = |prefix: u32, symbol: u8| ((prefix << m) | u32::from(symbol)) as usize;
        debug_assert!(data.iter().all(|&b| u32::from(b) < clear), "a symbol above the code size");
        let mut w = BitWriter { out, acc: 0, bits: 0 };
        w.put(clear, m + 1);
        let Some(&first) = data.first() else {
            w.put(end, m + 1);
            w.flush();
            return;
        };
        self.reset();
        let mut next = clear + 2;
        let mut prefix = u32::from(first);
        // The current match is `run` repeats of `sym` (run > 0), or something else (run == 0).
        let (mut sym, mut run) = (first, 1usize);
        let mut i = 1;
        // Where the current stretch of `sym` ends (valid while i < run_end).
        let mut run_end = 0;
        while i < data.len() {
            let c = data[i];
            if run > 0 && c == sym {
                if run_end <= i {
                    run_end = i + leading(&data[i..], sym);
                }
                let codes = &self.run_codes[sym as usize * RUN_SLOTS..];
                let longest = self.longest_run[sym as usize] as usize;
                let (ahead, room) = (run_end - i, longest - run);
                if ahead <= room {
                    run += ahead;
                    prefix = u32::from(codes[run]);
                    i += ahead;
                    continue;
                }
                // Extend to the longest known run, then miss on one more symbol.
                i += room;
                prefix = u32::from(codes[longest]);
                w.put(prefix, width_for(next));
                if let Some(code) = self.add_or_clear(key_of(prefix, sym), &mut next, clear, &mut w) {
                    self.longest_run[sym as usize] += 1;
                    self.run_codes[sym as usize * RUN_SLOTS + longest + 1] = code as u16;
                }
                prefix = u32::from(sym);
                run = 1;
                i += 1;
                continue;
            }
            let key = key_of(prefix, c);
            if let Some(code) = self.get(key) {
                prefix = code;
                run = 0;
                i += 1;
                continue;
            }
            // Only colours the code size holds (the frame's own pixels set it).
            let alternate = alternates.map(|alt| alt[i]).filter(|&a| c == transparent && u32::from(a) < clear);
            if let Some(a) = alternate {
                if let Some(code) = self.get(key_of(prefix, a)) {
                    prefix = code;
                    run = if run > 0 && a == sym { run + 1 } else { 0 };
                    i += 1;
                    continue;
                }
            }
            w.put(prefix, width_for(next));
            self.add_or_clear(key, &mut next, clear, &mut w);
            prefix = u32::from(c);
            (sym, run) = (c, 1);
            i += 1;
        }
        w.put(prefix, width_for(next));
        w.put(end, bit_length(next).clamp(m + 1, MAX_WIDTH));
        w.flush();
    }
}

#[cfg(test)]
mod tests {
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
            let data: Vec<u8> = (0..len)
                .map(|_| if rng.random_bool(run_bias) { t } else { rng.random_range(0..colours) as u8 })
                .collect();
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
        enc.encode_with_alternates(&data, Some(&shown), 5, t, &mut alt);
        assert!(alt.len() < plain.len(), "{} vs {}", alt.len(), plain.len());
        let decoded = decode(5, &alt);
        for i in 0..len {
            let ok = decoded[i] == data[i] || (data[i] == t && decoded[i] == shown[i]);
            assert!(ok, "pixel {i}: {} for {} (shown {})", decoded[i], data[i], shown[i]);
        }
    }

    #[test]
    fn leading_counts_equal_bytes_across_word_boundaries() {
        for (len, at) in [(0, 0), (3, 3), (17, 17), (17, 8), (40, 33), (40, 0)] {
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
        LzwEncoder::default().encode_with_alternates(&data, Some(&shown), 3, t, &mut out);
        let decoded = decode(3, &out);
        assert_eq!(decoded.len(), len);
        for i in 0..len {
            let ok = decoded[i] == data[i] || (data[i] == t && decoded[i] == shown[i] && shown[i] < 8);
            assert!(ok, "pixel {i}: {} for {} (shown {})", decoded[i], data[i], shown[i]);
        }
    }

    #[test]
    fn matches_a_plain_encoders_length() {
        // The same greedy parse as weezl's encoder: same number of bytes, whichever symbols run.
        let mut rng = StdRng::seed_from_u64(2);
        let sparse: Vec<u8> =
            (0..200_000).map(|_| if rng.random_bool(0.9) { 9 } else { rng.random_range(0..16) }).collect();
        let mut runs = vec![];
        while runs.len() < 200_000 {
            let len = if rng.random_bool(0.5) { rng.random_range(1..3000) } else { 1 };
            runs.extend(std::iter::repeat_n(rng.random_range(0..16u8), len));
        }
        for data in [sparse, runs] {
            let mut ours = vec![];
            LzwEncoder::default().encode(&data, 4, &mut ours);
            let theirs = weezl::encode::Encoder::new(weezl::BitOrder::Lsb, 4).encode(&data).unwrap();
            assert!((ours.len() as i64 - theirs.len() as i64).abs() <= 2, "{} vs {}", ours.len(), theirs.len());
        }
    }
}
