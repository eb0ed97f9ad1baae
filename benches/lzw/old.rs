//! GIF's LZW, written for frames that are mostly runs (of the transparent index, of the page):
//! a run of one symbol is consumed in one step per emitted code instead of one step per pixel.
//! Without alternates the output is the same code stream a plain greedy LZW encoder would
//! write; with them, the parse stays greedy but may take a shown colour for a transparent pixel.
//! (The tests compare the streams byte for byte with a plain reference encoder and with weezl's
//! encoder. weezl 0.1 never finds the 17th string added after a prefix, so with more than 16
//! symbols its stream can be a few codes longer than the greedy one.)

const MAX_CODES: u32 = 4096;
const MAX_WIDTH: u32 = 12;

/// Slots of the dictionary's hash table: 4096 codes fill at most half of them, a typical
/// frame's few hundred codes a tenth, so a search ends after one or two probes.
const SLOT_BITS: u32 = 13;
const SLOTS: usize = 1 << SLOT_BITS;

/// A reusable encoder, whose tables are allocated once and reset in time proportional to
/// what the last stream used.
///
/// The dictionary maps (prefix code, symbol) to a code in two parts. Most look-ups in a
/// delta frame extend a string by the symbol it ends with (one more pixel of the page or of
/// the transparent index after a changed pixel): those are `repeat[prefix]`, a direct index,
/// and a stretch of them is followed as a chain. The others go to a hash table of 32 KiB.
/// Both stay in the processor's level-1 cache (a table indexed by prefix and symbol spans
/// 2 MiB at our palette's code size, and most of its look-ups missed the caches).
pub struct LzwEncoder {
    /// `table[slot] = key << 12 | code`, where `key = prefix << 8 | symbol` and `symbol` is
    /// not the last symbol of `prefix`'s string; 0 is an empty slot (no entry has code 0:
    /// codes start after the clear and end codes).
    table: Vec<u32>,
    /// The slots filled since the last reset, which a reset empties (a frame fills a few
    /// hundred of the 8192).
    filled: Vec<u16>,
    /// `repeat[code]`: the code of `code`'s string followed once more by its last symbol,
    /// or 0 if the dictionary does not have it.
    repeat: Vec<u16>,
    /// `last[code]`: the last symbol of `code`'s string.
    last: Vec<u8>,
    /// `run_codes[s * RUN_SLOTS + k]` is the code of k repeats of symbol `s`, for
    /// `2 <= k <= longest_run[s]` (one repeat is `s` itself).
    run_codes: Vec<u16>,
    longest_run: [u16; 256],
}

impl std::fmt::Debug for LzwEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LzwEncoder").finish_non_exhaustive()
    }
}

/// Room for runs of every length a table of 4096 codes can hold.
const RUN_SLOTS: usize = MAX_CODES as usize + 2;

impl Default for LzwEncoder {
    fn default() -> Self {
        LzwEncoder {
            table: vec![0; SLOTS],
            filled: Vec::with_capacity(MAX_CODES as usize),
            repeat: vec![0; MAX_CODES as usize],
            last: vec![0; MAX_CODES as usize],
            run_codes: vec![0; 256 * RUN_SLOTS],
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

/// The first slot to probe for `key` (Fibonacci hashing: the top bits of a multiple).
#[inline]
fn home_slot(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> (32 - SLOT_BITS)) as usize
}

struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    bits: u32,
}

impl BitWriter<'_> {
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
            self.table[usize::from(slot)] = 0;
        }
        self.filled.clear();
        for root in 0..clear as usize {
            self.repeat[root] = 0;
            self.last[root] = root as u8;
        }
    }

    /// The code of `k` repeats of `symbol` (`1 <= k <= longest_run[symbol]`).
    #[inline]
    fn run_code(&self, symbol: u8, k: usize) -> u32 {
        if k == 1 {
            u32::from(symbol)
        } else {
            u32::from(self.run_codes[usize::from(symbol) * RUN_SLOTS + k])
        }
    }

    /// Gives `prefix`'s string followed by `symbol` the next free code; when the table is
    /// full, writes a clear code and starts a fresh table instead (returning `None`).
    #[inline]
    fn add_or_clear(&mut self, prefix: u32, symbol: u8, next: &mut u32, clear: u32, w: &mut BitWriter) -> Option<u32> {
        if *next < MAX_CODES {
            let code = *next;
            if self.last[prefix as usize] == symbol {
                self.repeat[prefix as usize] = code as u16;
            } else {
                self.insert(prefix << 8 | u32::from(symbol), code);
            }
            self.repeat[code as usize] = 0;
            self.last[code as usize] = symbol;
            *next += 1;
            Some(code)
        } else {
            w.put(clear, MAX_WIDTH);
            self.reset(clear);
            *next = clear + 2;
            None
        }
    }

    /// The code of `prefix`'s string followed by `symbol`, if the dictionary has it.
    #[inline]
    fn child(&self, prefix: u32, symbol: u8) -> Option<u32> {
        if self.last[prefix as usize] == symbol {
            let code = self.repeat[prefix as usize];
            (code != 0).then_some(u32::from(code))
        } else {
            self.get(prefix << 8 | u32::from(symbol))
        }
    }

    /// The code of `key` (`prefix << 8 | symbol`), if the hash table has it.
    #[inline]
    fn get(&self, key: u32) -> Option<u32> {
        let mut slot = home_slot(key);
        loop {
            let e = self.table[slot];
            if e == 0 {
                return None;
            }
            if e >> 12 == key {
                return Some(e & 0xFFF);
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }

    /// Gives `key` the code `code`. The table has room: it holds at most 4096 entries.
    #[inline]
    fn insert(&mut self, key: u32, code: u32) {
        let mut slot = home_slot(key);
        while self.table[slot] != 0 {
            slot = (slot + 1) & (SLOTS - 1);
        }
        self.table[slot] = key << 12 | code;
        self.filled.push(slot as u16);
    }

    /// Writes the code of the longest known run of `symbol` (`width` bits), and gives that
    /// run followed by one more `symbol` the next code: the run was longer.
    #[inline]
    fn write_longest_run(&mut self, symbol: u8, next: &mut u32, clear: u32, width: u32, w: &mut BitWriter) {
        let longest = usize::from(self.longest_run[usize::from(symbol)]);
        let prefix = self.run_code(symbol, longest);
        w.put(prefix, width);
        if let Some(code) = self.add_or_clear(prefix, symbol, next, clear, w) {
            self.longest_run[usize::from(symbol)] += 1;
            self.run_codes[usize::from(symbol) * RUN_SLOTS + longest + 1] = code as u16;
        }
    }

    /// From `prefix`, whose string ends in `c`, follows the dictionary while `data` repeats
    /// `c` from index `i`: the longest match and where it ends.
    #[inline]
    fn follow_repeats(&self, mut prefix: u32, c: u8, data: &[u8], mut i: usize) -> (u32, usize) {
        while i < data.len() && data[i] == c {
            match self.repeat[prefix as usize] {
                0 => break,
                code => prefix = u32::from(code),
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
        mut alternates: Option<Shown>,
        min_code_size: u8,
        transparent: u8,
        out: &mut Vec<u8>,
    ) {
        let m = u32::from(min_code_size);
        let clear = 1u32 << m;
        let end = clear + 1;
        let width_for = |next: u32| bit_length(next - 1).clamp(m + 1, MAX_WIDTH);
        debug_assert!(data.iter().all(|&b| u32::from(b) < clear), "a symbol above the code size");
        let mut w = BitWriter { out, acc: 0, bits: 0 };
        w.put(clear, m + 1);
        let Some(&first) = data.first() else {
            w.put(end, m + 1);
            w.flush();
            return;
        };
        self.reset(clear);
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
                let longest = self.longest_run[sym as usize] as usize;
                let (ahead, room) = (run_end - i, longest - run);
                if ahead <= room {
                    run += ahead;
                    prefix = self.run_code(sym, run);
                    i += ahead;
                    continue;
                }
                // Extend to the longest known run, then miss on one more symbol.
                i += room;
                let width = width_for(next);
                self.write_longest_run(sym, &mut next, clear, width, &mut w);
                prefix = u32::from(sym);
                run = 1;
                i += 1;
                continue;
            }
            if let Some(code) = self.child(prefix, c) {
                run = 0;
                (prefix, i) = self.follow_repeats(code, c, data, i + 1);
                continue;
            }
            // Only colours the code size holds (the frame's own pixels set it).
            let alternate = alternates.as_mut().filter(|_| c == transparent).map(|shown| shown.at(i));
            let alternate = alternate.filter(|&a| u32::from(a) < clear);
            if let Some(a) = alternate {
                if let Some(code) = self.child(prefix, a) {
                    prefix = code;
                    run = if run > 0 && a == sym { run + 1 } else { 0 };
                    i += 1;
                    continue;
                }
            }
            w.put(prefix, width_for(next));
            self.add_or_clear(prefix, c, &mut next, clear, &mut w);
            prefix = u32::from(c);
            (sym, run) = (c, 1);
            i += 1;
        }
        w.put(prefix, width_for(next));
        w.put(end, bit_length(next).clamp(m + 1, MAX_WIDTH));
        w.flush();
    }
}

