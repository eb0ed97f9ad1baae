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
    /// `run_codes[run_slot(s, k)]` is the code of k repeats of symbol `s`, for `2 <= k <=
    /// longest_run[s]` (one repeat is `s` itself). A run of k repeats takes k - 1 codes, so
    /// k stays below 4096. 2 MiB allocated zeroed, of which a stream touches a few pages (the
    /// runs of its few symbols): one flat array, because `vec!` zeroes an array of arrays by
    /// writing it.
    run_codes: Box<[u16; 256 * MAX_CODES as usize]>,
    longest_run: [u16; 256],
}

impl std::fmt::Debug for LzwEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LzwEncoder").finish_non_exhaustive()
    }
}

/// A boxed array of `N` copies of `value`, built on the heap (`Box::new([..])` would build
/// it on the stack first). Zeros of a number type are allocated zeroed, and the system maps
/// their pages only when written.
fn boxed<T: Clone, const N: usize>(value: T) -> Box<[T; N]> {
    vec![value; N].into_boxed_slice().try_into().unwrap_or_else(|_| unreachable!("N elements"))
}

impl Default for LzwEncoder {
    fn default() -> Self {
        LzwEncoder {
            table: boxed(0),
            filled: Vec::with_capacity(MAX_CODES as usize),
            node: boxed(0),
            run_codes: boxed(0),
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

/// Where the code of `k` repeats of `symbol` is in `run_codes` (`k` below 4096).
#[inline]
fn run_slot(symbol: u8, k: usize) -> usize {
    usize::from(symbol) << 12 | (k & CODE_MASK as usize)
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
    /// The dictionary's next free code, and the width codes are written at meanwhile.
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

/// The codes of a GIF LZW `stream` (minimum code size `min_code_size`) as a decoder reads
/// them, clear and end codes included, up to the end code or the last whole code: the width
/// follows the next free code, which a clear resets. For the tests and `benches/lzw`, which
/// count codes and clears without decoding the pixels.
#[doc(hidden)]
#[must_use]
pub fn stream_codes(stream: &[u8], min_code_size: u8) -> Vec<u32> {
    let m = u32::from(min_code_size);
    let (clear, end) = (1u32 << m, (1u32 << m) + 1);
    let (mut acc, mut bits, mut bytes) = (0u64, 0u32, stream.iter());
    let (mut next_free, mut first, mut codes) = (clear + 2, true, Vec::new());
    loop {
        let width = bit_length(next_free).clamp(m + 1, MAX_WIDTH);
        while bits < width {
            let Some(&b) = bytes.next() else { return codes };
            acc |= u64::from(b) << bits;
            bits += 8;
        }
        let code = (acc & ((1 << width) - 1)) as u32;
        (acc, bits) = (acc >> width, bits - width);
        codes.push(code);
        match code {
            c if c == end => return codes,
            c if c == clear => (next_free, first) = (clear + 2, true),
            // The first code after a clear defines nothing; each later one defines one.
            _ if first => first = false,
            _ => next_free += 1,
        }
    }
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
            u32::from(self.run_codes[run_slot(symbol, k)])
        }
    }

    /// Gives `prefix`'s string followed by `symbol` the next free code; when the table is
    /// full, writes a clear code and starts a fresh table instead (returning `None`).
    #[inline]
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
            self.clear(clear, w);
            None
        }
    }

    /// Writes a clear code (at the width the decoder is at, 12) and starts a fresh table.
    /// Rare (a frame fills a table once in a while), and kept out of the hot loop.
    #[cold]
    fn clear(&mut self, clear: u32, w: &mut Writer) {
        w.put(clear, MAX_WIDTH);
        self.reset(clear);
        w.next = clear + 2;
        w.width = clear.trailing_zeros() + 1;
    }

    /// The code of `prefix`'s string followed by `symbol`, if the dictionary has it.
    #[inline]
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
    #[inline]
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
    #[inline]
    fn write_longest_run(&mut self, symbol: u8, clear: u32, w: &mut Writer) {
        let longest = usize::from(self.longest_run[usize::from(symbol)]);
        let prefix = self.run_code(symbol, longest);
        w.code(prefix);
        if let Some(code) = self.add_or_clear(prefix, symbol, clear, w) {
            self.longest_run[usize::from(symbol)] += 1;
            self.run_codes[run_slot(symbol, longest + 1)] = code as u16;
        }
    }

    /// From `prefix`, whose string ends in `c`, follows the dictionary while `data` repeats
    /// `c` from index `i`: the longest match and where it ends.
    #[inline]
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
mod tests;
