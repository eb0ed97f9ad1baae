//! GIF's LZW, written for frames that are mostly runs (of the transparent index, of the page):
//! a run of one symbol is consumed in one step per emitted code instead of one step per pixel.
//! Without alternates the output is the same code stream a plain greedy LZW encoder would
//! write; with them, the parse stays greedy but may take a shown colour for a transparent pixel.
//! (The tests compare the streams byte for byte with a plain reference encoder and with weezl's
//! encoder. weezl 0.1 never finds the 17th string added after a prefix, so with more than 16
//! symbols its stream can be a few codes longer than the greedy one.)

const MAX_CODES: u32 = 4096;
const MAX_WIDTH: u32 = 12;
/// Codes are 12 bits: `code & CODE_MASK` indexes a table of [`MAX_CODES`] entries without a
/// bounds check.
const CODE_MASK: u32 = MAX_CODES - 1;

/// Slots of the dictionary's hash table: 4096 codes fill at most half of them, a typical
/// frame's few hundred codes a tenth, so a search ends after one or two probes.
const SLOT_BITS: u32 = 13;
const SLOTS: usize = 1 << SLOT_BITS;

/// A reusable encoder, whose tables are allocated once and reset in time proportional to
/// what the last stream used.
///
/// The dictionary maps (prefix code, symbol) to a code in two parts. Most look-ups in a
/// delta frame extend a string by the symbol it ends with (one more pixel of the page or of
/// the transparent index after a changed pixel): those are answered by `node[prefix]`, a
/// direct index, and a stretch of them is followed as a chain. The others go to a hash table
/// of 32 KiB. Both stay in the processor's level-1 or level-2 cache (a table indexed by
/// prefix and symbol spans 2 MiB at our palette's code size, and most of its look-ups missed
/// the caches).
///
/// The tables are fixed-size arrays indexed by a masked code or slot, so the hot loop has no
/// bounds checks to test.
pub struct LzwEncoder {
    /// `table[slot] = key << 12 | code`, where `key = prefix << 8 | symbol` and `symbol` is
    /// not the last symbol of `prefix`'s string; 0 is an empty slot (no entry has code 0:
    /// codes start after the clear and end codes).
    table: Box<[u32; SLOTS]>,
    /// The slots filled since the last reset, which a reset empties (a frame fills a few
    /// hundred of the 8192).
    filled: Vec<u16>,
    /// `node[code] = last << 16 | repeat`: `last` is the last symbol of `code`'s string and
    /// `repeat` the code of that string followed once more by `last` (0 if the dictionary does
    /// not have it). One load answers whether a symbol repeats the string's last one, and
    /// with which code; `repeat` is the low 12 bits, so following a chain of repeats costs a
    /// load and a mask a step.
    node: Box<[u32; MAX_CODES as usize]>,
    /// `run_codes[s][k]` is the code of k repeats of symbol `s`, for `2 <= k <=
    /// longest_run[s]` (one repeat is `s` itself). A run of k repeats takes k - 1 codes, so
    /// k stays below 4096.
    run_codes: Box<[[u16; MAX_CODES as usize]; 256]>,
    longest_run: [u16; 256],
}

impl std::fmt::Debug for LzwEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LzwEncoder").finish_non_exhaustive()
    }
}

/// A boxed array of `N` copies of `value`, built on the heap (`Box::new([..])` would build
/// it on the stack first).
fn boxed<T: Clone, const N: usize>(value: T) -> Box<[T; N]> {
    vec![value; N].into_boxed_slice().try_into().unwrap_or_else(|_| unreachable!("N elements"))
}

impl Default for LzwEncoder {
    fn default() -> Self {
        LzwEncoder {
            table: boxed(0),
            filled: Vec::with_capacity(MAX_CODES as usize),
            node: boxed(0),
            run_codes: boxed([0; MAX_CODES as usize]),
            longest_run: [0; 256],
        }
    }
}

/// What a frame's pixels show: rows of `width` symbols, each `stride` after the last in
/// `pixels` (the whole canvas, read in place rather than copied out). Read at increasing
/// indices of the frame: a cursor follows the row.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    pixels: &'a [u8],
    width: usize,
    stride: usize,
    /// The frame's index of the cursor row's first pixel, and where that pixel is in `pixels`.
    row_start: usize,
    offset: usize,
}

impl<'a> Shown<'a> {
    /// Rows of `width` (at least 1) pixels `stride` apart, the first at `pixels[0]`.
    #[must_use]
    pub fn new(pixels: &'a [u8], width: usize, stride: usize) -> Self {
        Shown { pixels, width: width.max(1), stride, row_start: 0, offset: 0 }
    }

    /// One row: the frame's pixels as they lie in `pixels`.
    #[must_use]
    pub fn contiguous(pixels: &'a [u8]) -> Self {
        Shown::new(pixels, pixels.len(), pixels.len())
    }

    /// Moves the cursor to the row of index `i` (never back).
    #[inline]
    fn seek(&mut self, i: usize) {
        while i >= self.row_start + self.width {
            self.row_start += self.width;
            self.offset += self.stride;
        }
    }

    /// The colour shown at index `i` (at or after the last one read).
    #[inline]
    pub fn at(&mut self, i: usize) -> u8 {
        self.seek(i);
        self.pixels[self.offset + i - self.row_start]
    }

    /// The one colour shown at every index of `start..end` (not empty, at or after the
    /// last one read), or `None` if there are several.
    pub fn uniform(&mut self, start: usize, end: usize) -> Option<u8> {
        let colour = self.at(start);
        let mut i = start;
        while i < end {
            self.seek(i);
            let stop = end.min(self.row_start + self.width);
            let row = &self.pixels[self.offset + i - self.row_start..self.offset + stop - self.row_start];
            if leading(row, colour) < row.len() {
                return None;
            }
            i = stop;
        }
        Some(colour)
    }
}

/// Pixels shown as they lie in the slice (one row), for callers that cannot name [`Shown`]
/// (the LZW bench builds its streams from copies).
impl<'a> From<&'a [u8]> for Shown<'a> {
    fn from(pixels: &'a [u8]) -> Self {
        Shown::contiguous(pixels)
    }
}

/// The last symbol of a string, from its `node` entry.
#[inline]
fn last_of(node: u32) -> u8 {
    (node >> 16) as u8
}

/// The first slot to probe for `key` (Fibonacci hashing: the top bits of a multiple).
#[inline]
fn home_slot(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> (32 - SLOT_BITS)) as usize
}

/// The code stream being written: codes packed from the low bits up, and the width of the
/// next code, which grows by one bit each time the dictionary's next free code passes a
/// power of two (checked as codes are added rather than computed for every code).
struct Writer<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    bits: u32,
    /// The next free code, and the width a code is written at while it is the next free one.
    next: u32,
    width: u32,
}

impl Writer<'_> {
    /// Appends a code of `width` bits (at most 12). Whole bytes leave the accumulator four at
    /// a time, so most codes cost no write.
    #[inline]
    fn put(&mut self, code: u32, width: u32) {
        self.acc |= u64::from(code) << self.bits;
        self.bits += width;
        if self.bits >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.bits -= 32;
        }
    }

    /// Appends a code at the current width.
    #[inline]
    fn code(&mut self, code: u32) {
        self.put(code, self.width);
    }

    /// Takes the next free code: the decoder, one code behind, reads the next code with
    /// enough bits for `next - 1`, which needs one more bit when it reaches a power of two.
    #[inline]
    fn take_next(&mut self) -> u32 {
        let code = self.next;
        self.next += 1;
        if self.next - 1 == 1 << self.width {
            self.width += 1;
        }
        code
    }

    fn flush(&mut self) {
        let bytes = self.bits.div_ceil(8) as usize;
        self.out.extend_from_slice(&self.acc.to_le_bytes()[..bytes]);
    }
}

/// How many bytes at the start of `s` equal `b`. Most runs are short, and the first word
/// settles them; a longer one goes 64 bytes at a time while they all equal `b` (their
/// differences from `b` OR-ed together, which compiles to vector XORs and ORs), then eight at
/// a time, where the first differing word says which byte.
#[must_use]
#[inline]
pub fn leading(s: &[u8], b: u8) -> usize {
    let pattern = u64::from_le_bytes([b; 8]);
    let differs_at = |i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or_default()) ^ pattern;
    // Little-endian: the lowest set bit is in the first byte that differs.
    let first = |i: usize, differs: u64| i + (differs.trailing_zeros() / 8) as usize;
    if s.len() < 8 {
        return s.iter().take_while(|&&c| c == b).count();
    }
    if differs_at(0) != 0 {
        return first(0, differs_at(0));
    }
    let blocks = s[8..].as_chunks::<64>().0;
    let mut i = 8 + blocks.iter().take_while(|block| block.iter().fold(0, |acc, &c| acc | (c ^ b)) == 0).count() * 64;
    while i + 8 <= s.len() {
        let differs = differs_at(i);
        if differs != 0 {
            return first(i, differs);
        }
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
    /// A fresh dictionary: the roots (the symbols below `clear`) only, each symbol's longest
    /// known run one long.
    fn reset(&mut self, clear: u32) {
        self.longest_run = [1; 256];
        for &slot in &self.filled {
            self.table[usize::from(slot) & (SLOTS - 1)] = 0;
        }
        self.filled.clear();
        for (root, node) in self.node[..clear as usize].iter_mut().enumerate() {
            *node = (root as u32) << 16;
        }
    }

    /// The code of `k` repeats of `symbol` (`1 <= k <= longest_run[symbol]`).
    #[inline]
    fn run_code(&self, symbol: u8, k: usize) -> u32 {
        if k == 1 {
            u32::from(symbol)
        } else {
            u32::from(self.run_codes[usize::from(symbol)][k & CODE_MASK as usize])
        }
    }

    /// Gives `prefix`'s string followed by `symbol` the next free code; when the table is
    /// full, writes a clear code and starts a fresh table instead (returning `None`).
    #[inline(always)]
    fn add_or_clear(&mut self, prefix: u32, symbol: u8, clear: u32, w: &mut Writer) -> Option<u32> {
        if w.next < MAX_CODES {
            let code = w.take_next();
            let p = (prefix & CODE_MASK) as usize;
            if last_of(self.node[p]) == symbol {
                self.node[p] |= code;
            } else {
                self.insert(prefix << 8 | u32::from(symbol), code);
            }
            self.node[(code & CODE_MASK) as usize] = u32::from(symbol) << 16;
            Some(code)
        } else {
            w.put(clear, MAX_WIDTH);
            self.reset(clear);
            w.next = clear + 2;
            w.width = clear.trailing_zeros() + 1;
            None
        }
    }

    /// The code of `prefix`'s string followed by `symbol`, if the dictionary has it.
    #[inline(always)]
    fn child(&self, prefix: u32, symbol: u8) -> Option<u32> {
        let node = self.node[(prefix & CODE_MASK) as usize];
        if last_of(node) == symbol {
            let code = node & CODE_MASK;
            (code != 0).then_some(code)
        } else {
            self.get(prefix << 8 | u32::from(symbol))
        }
    }

    /// The code of `key` (`prefix << 8 | symbol`), if the hash table has it.
    #[inline(always)]
    fn get(&self, key: u32) -> Option<u32> {
        let mut slot = home_slot(key);
        loop {
            let e = self.table[slot & (SLOTS - 1)];
            if e == 0 {
                return None;
            }
            if e >> 12 == key {
                return Some(e & CODE_MASK);
            }
            slot += 1;
        }
    }

    /// Gives `key` the code `code`. The table has room: it holds at most 4096 entries.
    #[inline]
    fn insert(&mut self, key: u32, code: u32) {
        let mut slot = home_slot(key);
        while self.table[slot & (SLOTS - 1)] != 0 {
            slot += 1;
        }
        self.table[slot & (SLOTS - 1)] = key << 12 | code;
        self.filled.push((slot & (SLOTS - 1)) as u16);
    }

    /// Writes the code of the longest known run of `symbol`, and gives that run followed by
    /// one more `symbol` the next code: the run was longer.
    #[inline(always)]
    fn write_longest_run(&mut self, symbol: u8, clear: u32, w: &mut Writer) {
        let longest = usize::from(self.longest_run[usize::from(symbol)]);
        let prefix = self.run_code(symbol, longest);
        w.code(prefix);
        if let Some(code) = self.add_or_clear(prefix, symbol, clear, w) {
            self.longest_run[usize::from(symbol)] += 1;
            self.run_codes[usize::from(symbol)][(longest + 1) & CODE_MASK as usize] = code as u16;
        }
    }

    /// From `prefix`, whose string ends in `c`, follows the dictionary while `data` repeats
    /// `c` from index `i`: the longest match and where it ends.
    #[inline(always)]
    fn follow_repeats(&self, mut prefix: u32, c: u8, data: &[u8], mut i: usize) -> (u32, usize) {
        while i < data.len() && data[i] == c {
            match self.node[(prefix & CODE_MASK) as usize] & CODE_MASK {
                0 => break,
                code => prefix = code,
            }
            i += 1;
        }
        (prefix, i)
    }

    /// Appends the LZW code stream of `data` (clear code first, end code last) to `out`.
    #[cfg(test)]
    pub fn encode(&mut self, data: &[u8], min_code_size: u8, out: &mut Vec<u8>) {
        self.encode_with_alternates(data, None, min_code_size, 0, out);
    }

    /// Like [`LzwEncoder::encode`], but where `data[i]` is `transparent` (an unchanged pixel)
    /// the encoder may write `alternates.at(i)` instead (the colour already shown there) when
    /// that extends the current match: the picture is the same, the stream shorter.
    pub fn encode_with_alternates(
        &mut self,
        data: &[u8],
        alternates: Option<Shown>,
        min_code_size: u8,
        transparent: u8,
        out: &mut Vec<u8>,
    ) {
        let m = u32::from(min_code_size);
        let clear = 1u32 << m;
        let end = clear + 1;
        debug_assert!(data.iter().all(|&b| u32::from(b) < clear), "a symbol above the code size");
        let mut w = Writer { out, acc: 0, bits: 0, next: clear + 2, width: m + 1 };
        w.code(clear);
        if !data.is_empty() {
            self.reset(clear);
            // Two copies of the loop: the one without alternates never tests for them.
            w = match alternates {
                Some(shown) => self.codes::<true>(data, shown, transparent, clear, w),
                None => self.codes::<false>(data, Shown::contiguous(&[]), transparent, clear, w),
            };
        }
        // Reading the last code, the decoder defines one more: the end code's width counts it.
        let last_defined = w.next + u32::from(!data.is_empty());
        w.put(end, bit_length(last_defined - 1).clamp(m + 1, MAX_WIDTH));
        w.flush();
    }

    /// The codes of `data` (not empty), after the clear code and before the end code. With
    /// `ALTERNATES`, a transparent pixel may be written as the colour `shown` there. The
    /// writer comes by value, so that its state stays in registers.
    #[inline(never)]
    fn codes<'w, const ALTERNATES: bool>(
        &mut self,
        data: &[u8],
        mut shown: Shown,
        transparent: u8,
        clear: u32,
        mut writer: Writer<'w>,
    ) -> Writer<'w> {
        let w = &mut writer;
        let mut prefix = u32::from(data[0]);
        // The current match is `run` repeats of `sym` (run > 0), or something else (run == 0).
        let (mut sym, mut run) = (data[0], 1usize);
        let mut i = 1;
        while i < data.len() {
            let c = data[i];
            if run > 0 && c == sym {
                // A stretch of `sym`: its end, then codes for the longest known runs while the
                // stretch outlasts them, each followed by one more `sym` (a new longest run).
                let run_end = i + leading(&data[i..], sym);
                loop {
                    let longest = usize::from(self.longest_run[usize::from(sym)]);
                    let (ahead, room) = (run_end - i, longest - run);
                    if ahead <= room {
                        run += ahead;
                        prefix = self.run_code(sym, run);
                        i = run_end;
                        break;
                    }
                    i += room + 1;
                    self.write_longest_run(sym, clear, w);
                    run = 1;
                }
                continue;
            }
            if let Some(code) = self.child(prefix, c) {
                run = 0;
                (prefix, i) = self.follow_repeats(code, c, data, i + 1);
                continue;
            }
            // Only colours the code size holds (the frame's own pixels set it).
            if ALTERNATES && c == transparent {
                let a = shown.at(i);
                if u32::from(a) < clear {
                    if let Some(code) = self.child(prefix, a) {
                        prefix = code;
                        run = if run > 0 && a == sym { run + 1 } else { 0 };
                        i += 1;
                        continue;
                    }
                }
            }
            w.code(prefix);
            self.add_or_clear(prefix, c, clear, w);
            prefix = u32::from(c);
            (sym, run) = (c, 1);
            i += 1;
        }
        w.code(prefix);
        writer
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

    /// How many clear codes a stream has after its first, read as a decoder reads it: the
    /// tests must fill the table.
    fn clears(stream: &[u8], m: u8) -> usize {
        let m = u32::from(m);
        let (clear, end) = (1u32 << m, (1u32 << m) + 1);
        let (mut acc, mut bits, mut bytes) = (0u64, 0u32, stream.iter());
        let (mut next_free, mut count, mut first) = (clear + 2, 0usize, true);
        loop {
            let width = (32 - next_free.leading_zeros()).clamp(m + 1, 12);
            while bits < width {
                let Some(&b) = bytes.next() else { return count.saturating_sub(1) };
                acc |= u64::from(b) << bits;
                bits += 8;
            }
            let code = (acc & ((1 << width) - 1)) as u32;
            (acc, bits) = (acc >> width, bits - width);
            match code {
                c if c == end => return count.saturating_sub(1),
                c if c == clear => (next_free, count, first) = (clear + 2, count + 1, true),
                // The first code after a clear defines nothing; each later one defines one.
                _ if first => first = false,
                _ => next_free += 1,
            }
        }
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
}
