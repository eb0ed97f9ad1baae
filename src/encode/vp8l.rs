//! Our VP8L (lossless WebP) encoder, shaped for frames of palette indices: the colour-indexing
//! transform (the frame's own small palette; two, four or eight pixels packed to a byte when
//! it has at most 16 colours), LZ77 back-references found by a hash chain plus the pixel to
//! the left and the one above (2-D distance codes), and one set of prefix (Huffman) codes.
//! It writes the bitstream of the format's specification (RFC 9649); the tests decode it with
//! the `image` crate's independent decoder.

/// A colour of the frame's palette, or `None` for a transparent pixel.
pub type Colour = Option<[u8; 3]>;

/// The order the code-length code's lengths are written in.
const CODE_LENGTH_ORDER: [usize; 19] = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

/// The 2-D neighbourhood the short distance codes 1..=120 stand for, as (dx, dy).
#[rustfmt::skip]
const DISTANCE_MAP: [(i8, i8); 120] = [
    (0, 1),  (1, 0),  (1, 1),  (-1, 1), (0, 2),  (2, 0),  (1, 2),  (-1, 2),
    (2, 1),  (-2, 1), (2, 2),  (-2, 2), (0, 3),  (3, 0),  (1, 3),  (-1, 3),
    (3, 1),  (-3, 1), (2, 3),  (-2, 3), (3, 2),  (-3, 2), (0, 4),  (4, 0),
    (1, 4),  (-1, 4), (4, 1),  (-4, 1), (3, 3),  (-3, 3), (2, 4),  (-2, 4),
    (4, 2),  (-4, 2), (0, 5),  (3, 4),  (-3, 4), (4, 3),  (-4, 3), (5, 0),
    (1, 5),  (-1, 5), (5, 1),  (-5, 1), (2, 5),  (-2, 5), (5, 2),  (-5, 2),
    (4, 4),  (-4, 4), (3, 5),  (-3, 5), (5, 3),  (-5, 3), (0, 6),  (6, 0),
    (1, 6),  (-1, 6), (6, 1),  (-6, 1), (2, 6),  (-2, 6), (6, 2),  (-6, 2),
    (4, 5),  (-4, 5), (5, 4),  (-5, 4), (3, 6),  (-3, 6), (6, 3),  (-6, 3),
    (0, 7),  (7, 0),  (1, 7),  (-1, 7), (5, 5),  (-5, 5), (7, 1),  (-7, 1),
    (4, 6),  (-4, 6), (6, 4),  (-6, 4), (2, 7),  (-2, 7), (7, 2),  (-7, 2),
    (3, 7),  (-3, 7), (7, 3),  (-7, 3), (5, 6),  (-5, 6), (6, 5),  (-6, 5),
    (8, 0),  (4, 7),  (-4, 7), (7, 4),  (-7, 4), (8, 1),  (8, 2),  (6, 6),
    (-6, 6), (8, 3),  (5, 7),  (-5, 7), (7, 5),  (-7, 5), (8, 4),  (6, 7),
    (-6, 7), (7, 6),  (-7, 6), (8, 5),  (7, 7),  (-7, 7), (8, 6),  (8, 7),
];

/// The longest back-reference VP8L codes.
const MAX_LENGTH: usize = 4096;
/// The shortest back-reference worth its codes.
const MIN_LENGTH: usize = 3;
/// How many earlier places with the same three pixels are tried.
const CHAIN_DEPTH: usize = 24;
const HASH_BITS: u32 = 14;

/// Bits written least significant first, as VP8L reads them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        debug_assert!(count <= 32 && (count == 32 || value >> count == 0));
        self.acc |= u64::from(value) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// One symbol of the main image: a literal (the packed pixel's green byte) or a copy.
#[derive(Clone, Copy)]
enum Token {
    Literal(u8),
    Copy { length: u16, distance: u32 },
}

/// The VP8L bitstream (the `VP8L` chunk's payload) of `width` x `height` pixels, each an
/// index into `colours` (at most 256 of them; `None` is transparent).
#[must_use]
pub fn encode(indices: &[u8], width: u32, height: u32, colours: &[Colour]) -> Vec<u8> {
    debug_assert_eq!(indices.len(), width as usize * height as usize);
    debug_assert!((1..=256).contains(&colours.len()));
    let mut bits = Bits::default();
    let alpha = colours.iter().any(Option::is_none);
    bits.put(0x2f, 8);
    bits.put(width - 1, 14);
    bits.put(height - 1, 14);
    bits.put(u32::from(alpha), 1);
    bits.put(0, 3);
    // The colour-indexing transform and its table, delta-coded as the format asks.
    bits.put(1, 1);
    bits.put(3, 2);
    bits.put(colours.len() as u32 - 1, 8);
    let argb = |c: &Colour| c.map_or([0; 4], |[r, g, b]| [255, r, g, b]);
    let mut table = Vec::with_capacity(colours.len());
    let mut previous = [0u8; 4];
    for c in colours {
        let now = argb(c);
        table.push(std::array::from_fn::<u8, 4, _>(|k| now[k].wrapping_sub(previous[k])));
        previous = now;
    }
    write_table(&mut bits, &table);
    bits.put(0, 1); // no more transforms
    let (packed, xsize) = bundle(indices, width, height, colours.len());
    let tokens = tokens(&packed, xsize);
    write_image(&mut bits, &tokens, xsize);
    bits.finish()
}

/// The indices packed as the colour-indexing transform reads them: 8, 4 or 2 to a byte when
/// the table has at most 2, 4 or 16 colours, least significant first. Returns the packed
/// rows and their width.
#[inline(never)]
fn bundle(indices: &[u8], width: u32, height: u32, colours: usize) -> (std::borrow::Cow<'_, [u8]>, usize) {
    let width_bits: u32 = match colours {
        0..=2 => 3,
        3..=4 => 2,
        5..=16 => 1,
        _ => 0,
    };
    if width_bits == 0 {
        return (std::borrow::Cow::Borrowed(indices), width as usize);
    }
    let per = 1usize << width_bits;
    let bits_per = 8 >> width_bits;
    let xsize = (width as usize).div_ceil(per);
    let mut packed = vec![0u8; xsize * height as usize];
    for (row, out) in indices.chunks_exact(width as usize).zip(packed.chunks_exact_mut(xsize)) {
        for (group, o) in row.chunks(per).zip(out.iter_mut()) {
            *o = group.iter().enumerate().fold(0, |acc, (k, &i)| acc | i << (bits_per * k));
        }
    }
    (std::borrow::Cow::Owned(packed), xsize)
}

/// The colour table as its own small image: literals only, four prefix codes and a dummy
/// distance code.
fn write_table(bits: &mut Bits, table: &[[u8; 4]]) {
    bits.put(0, 1); // no colour cache
    let mut freq = [vec![0u32; 280], vec![0u32; 256], vec![0u32; 256], vec![0u32; 256]];
    // ARGB bytes; the codes come in the order green, red, blue, alpha.
    for p in table {
        freq[0][usize::from(p[2])] += 1;
        freq[1][usize::from(p[1])] += 1;
        freq[2][usize::from(p[3])] += 1;
        freq[3][usize::from(p[0])] += 1;
    }
    let codes: Vec<Code> = freq.iter().map(|f| write_code(bits, f)).collect();
    write_code(bits, &[0u32; 40]);
    for p in table {
        for (code, byte) in codes.iter().zip([p[2], p[1], p[3], p[0]]) {
            code.put(bits, usize::from(byte));
        }
    }
}

/// Writes the main image: no colour cache, one group of prefix codes, the tokens.
#[inline(never)]
fn write_image(bits: &mut Bits, tokens: &[Token], xsize: usize) {
    bits.put(0, 1); // no colour cache
    bits.put(0, 1); // one group of prefix codes for the whole image
    let mut green = vec![0u32; 280];
    let mut distance = vec![0u32; 40];
    for &t in tokens {
        match t {
            Token::Literal(g) => green[usize::from(g)] += 1,
            Token::Copy { length, distance: d } => {
                green[256 + prefix(u32::from(length)).0 as usize] += 1;
                distance[prefix(d).0 as usize] += 1;
            }
        }
    }
    let green_code = write_code(bits, &green);
    // Red, blue and alpha of an index image are 0: single-symbol codes cost no bits a pixel.
    for _ in 0..3 {
        write_code(bits, &[1]);
    }
    let distance_code = write_code(bits, &distance);
    let _ = xsize;
    for &t in tokens {
        match t {
            Token::Literal(g) => green_code.put(bits, usize::from(g)),
            Token::Copy { length, distance: d } => {
                let (symbol, extra, value) = prefix(u32::from(length));
                green_code.put(bits, 256 + symbol as usize);
                bits.put(value, extra);
                let (symbol, extra, value) = prefix(d);
                distance_code.put(bits, symbol as usize);
                bits.put(value, extra);
            }
        }
    }
}

/// The prefix code of a length or distance value (from 1): (symbol, extra bits, their value).
fn prefix(value: u32) -> (u32, u32, u32) {
    let v = value - 1;
    if v < 4 {
        return (v, 0, 0);
    }
    let high = v.ilog2();
    let second = (v >> (high - 1)) & 1;
    let extra = high - 1;
    (2 * high + second, extra, v & ((1 << extra) - 1))
}

/// The tokens of `pixels` (rows of `xsize`): a hash chain of three-pixel keys finds earlier
/// copies; the pixel to the left and the one above are always tried. Distances are written
/// as the format's plane codes where one stands for them.
#[inline(never)]
fn tokens(pixels: &[u8], xsize: usize) -> Vec<Token> {
    let n = pixels.len();
    // The plane code of each short distance (0 where none): 1..=120.
    let span = 8 * xsize + 9;
    let mut plane = vec![0u8; span];
    for (k, &(dx, dy)) in DISTANCE_MAP.iter().enumerate().rev() {
        let d = i64::from(dx) + i64::from(dy) * xsize as i64;
        if d >= 1 && (d as usize) < span {
            plane[d as usize] = k as u8 + 1;
        }
    }
    let code_of = |d: usize| match plane.get(d) {
        Some(&c) if c > 0 => u32::from(c),
        _ => d as u32 + 120,
    };
    let mut head = vec![u32::MAX; 1 << HASH_BITS];
    let mut chain = vec![u32::MAX; n];
    let hash = |i: usize| {
        let key = u32::from(pixels[i]) | u32::from(pixels[i + 1]) << 8 | u32::from(pixels[i + 2]) << 16;
        (key.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
    };
    let insert = |head: &mut [u32], chain: &mut [u32], i: usize| {
        if i + 2 < n {
            let h = hash(i);
            chain[i] = head[h];
            head[h] = i as u32;
        }
    };
    let mut out = Vec::with_capacity(n / 4);
    let mut i = 0;
    while i < n {
        let (best, best_d) = longest_match(pixels, i, xsize, &head, &chain, &hash, &code_of);
        if best >= MIN_LENGTH || (best >= 2 && best_d == 1) {
            out.push(Token::Copy { length: best as u16, distance: code_of(best_d) });
            // A long copy is a run of page or of unchanged pixels: its first and last few
            // places are enough to find it again, and skipping the middle keeps it fast.
            for k in (i..i + best).filter(|&k| best <= 2 * SKIP_EDGE || k < i + SKIP_EDGE || k >= i + best - SKIP_EDGE)
            {
                insert(&mut head, &mut chain, k);
            }
            i += best;
        } else {
            out.push(Token::Literal(pixels[i]));
            insert(&mut head, &mut chain, i);
            i += 1;
        }
    }
    out
}

/// Places at each end of a copy that the hash chain keeps.
const SKIP_EDGE: usize = 8;

/// The longest earlier copy of the pixels at `i`: the pixel to the left and the one above
/// first, then (unless one of them is long already) the hash chain. Returns (length,
/// distance); among equally long copies, the one whose distance code is shortest.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn longest_match(
    pixels: &[u8],
    i: usize,
    xsize: usize,
    head: &[u32],
    chain: &[u32],
    hash: &impl Fn(usize) -> usize,
    code_of: &impl Fn(usize) -> u32,
) -> (usize, usize) {
    let n = pixels.len();
    let limit = (n - i).min(MAX_LENGTH);
    let matching = |j: usize| common_prefix(&pixels[j..j + limit], &pixels[i..i + limit]);
    let (mut best, mut best_d) = (0, 0);
    for d in [1, xsize] {
        if d >= 1 && d <= i {
            let len = matching(i - d);
            if len > best {
                (best, best_d) = (len, d);
            }
        }
    }
    if best >= GOOD_ENOUGH || best == limit || i + 2 >= n {
        return (best, best_d);
    }
    let mut j = head[hash(i)];
    let mut depth = 0;
    while j != u32::MAX && depth < CHAIN_DEPTH {
        let d = i - j as usize;
        // Only a candidate that beats the best at its last pixel can be longer.
        if pixels[j as usize + best.min(limit - 1)] == pixels[i + best.min(limit - 1)] {
            let len = matching(j as usize);
            if len > best || (len == best && len > 0 && code_of(d) < code_of(best_d)) {
                (best, best_d) = (len, d);
                if best == limit {
                    break;
                }
            }
        }
        j = chain[j as usize];
        depth += 1;
    }
    (best, best_d)
}

/// A copy from the left or above this long is taken without searching further.
const GOOD_ENOUGH: usize = 64;

/// How many leading bytes two slices share, eight at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut k = 0;
    while k + 8 <= n {
        let x = u64::from_le_bytes(a[k..k + 8].try_into().unwrap_or_default())
            ^ u64::from_le_bytes(b[k..k + 8].try_into().unwrap_or_default());
        if x != 0 {
            return k + (x.trailing_zeros() / 8) as usize;
        }
        k += 8;
    }
    k + a[k..n].iter().zip(&b[k..n]).take_while(|(x, y)| x == y).count()
}

/// A prefix code: each symbol's length and its (bit-reversed) code.
struct Code {
    lengths: Vec<u8>,
    codes: Vec<u16>,
}

impl Code {
    fn put(&self, bits: &mut Bits, symbol: usize) {
        bits.put(u32::from(self.codes[symbol]), u32::from(self.lengths[symbol]));
    }
}

/// Writes the prefix code for `freq` (a simple code for one or two symbols below 256, else a
/// normal one) and returns it.
fn write_code(bits: &mut Bits, freq: &[u32]) -> Code {
    let used: Vec<usize> = (0..freq.len()).filter(|&s| freq[s] > 0).collect();
    if used.len() <= 2 && used.iter().all(|&s| s < 256) {
        let mut lengths = vec![0u8; freq.len()];
        let mut codes = vec![0u16; freq.len()];
        let symbols = if used.is_empty() { vec![0] } else { used };
        bits.put(1, 1);
        bits.put(symbols.len() as u32 - 1, 1);
        if symbols[0] < 2 {
            bits.put(0, 1);
            bits.put(symbols[0] as u32, 1);
        } else {
            bits.put(1, 1);
            bits.put(symbols[0] as u32, 8);
        }
        if let Some(&second) = symbols.get(1) {
            bits.put(second as u32, 8);
            lengths[symbols[0]] = 1;
            lengths[second] = 1;
            codes[second] = 1;
        }
        return Code { lengths, codes };
    }
    let lengths = limited_lengths(freq, 15);
    write_lengths(bits, &lengths);
    let codes = canonical(&lengths);
    Code { lengths, codes }
}

/// Writes code lengths as the format codes them: with their own prefix code (symbols 0..=15
/// a length, 16 repeats the previous non-zero length 3 to 6 times, 17 and 18 runs of zeros).
fn write_lengths(bits: &mut Bits, lengths: &[u8]) {
    // (symbol, extra bits, extra value)
    let mut tokens: Vec<(u8, u32, u32)> = vec![];
    let mut i = 0;
    let mut previous = 8;
    while i < lengths.len() {
        let l = lengths[i];
        let run = lengths[i..].iter().take_while(|&&x| x == l).count();
        if l == 0 && run >= 3 {
            let take = run.min(138);
            tokens.push(if take >= 11 { (18, 7, take as u32 - 11) } else { (17, 3, take as u32 - 3) });
            i += take;
        } else if l != 0 && l == previous && run >= 3 {
            let take = run.min(6);
            tokens.push((16, 2, take as u32 - 3));
            i += take;
        } else {
            tokens.push((l, 0, 0));
            if l != 0 {
                previous = l;
            }
            i += 1;
        }
    }
    let mut freq = [0u32; 19];
    for t in &tokens {
        freq[usize::from(t.0)] += 1;
    }
    let mut code_lengths = limited_lengths(&freq, 7);
    // A code of one symbol is written as two of length 1 (the decoder wants a whole code).
    if code_lengths.iter().filter(|&&l| l > 0).count() == 1 {
        let spare = usize::from(code_lengths[0] != 0);
        code_lengths[spare] = 1;
        for l in code_lengths.iter_mut().filter(|l| **l > 0) {
            *l = 1;
        }
    }
    let count = CODE_LENGTH_ORDER.iter().rposition(|&s| code_lengths[s] > 0).map_or(4, |k| (k + 1).max(4));
    bits.put(0, 1); // a normal code
    bits.put(count as u32 - 4, 4);
    for &s in &CODE_LENGTH_ORDER[..count] {
        bits.put(u32::from(code_lengths[s]), 3);
    }
    bits.put(0, 1); // every symbol's length is written
    let codes = canonical(&code_lengths);
    for (symbol, extra, value) in tokens {
        let s = usize::from(symbol);
        bits.put(u32::from(codes[s]), u32::from(code_lengths[s]));
        bits.put(value, extra);
    }
}

/// Huffman code lengths for `freq`, none longer than `limit`: where the tree is too deep, the
/// rarest symbols are counted as more frequent and the tree built again (libwebp's way). A
/// single used symbol gets length 1 with a spare symbol beside it, so the code is whole.
fn limited_lengths(freq: &[u32], limit: u8) -> Vec<u8> {
    let mut floor = 1u32;
    loop {
        let counts: Vec<u32> = freq.iter().map(|&f| if f == 0 { 0 } else { f.max(floor) }).collect();
        let mut lengths = huffman_lengths(&counts);
        if lengths.iter().all(|&l| l <= limit) {
            if lengths.iter().filter(|&&l| l > 0).count() == 1 {
                let spare = usize::from(lengths[0] != 0);
                lengths[spare] = 1;
            }
            return lengths;
        }
        floor = floor.saturating_mul(2);
    }
}

/// Plain Huffman code lengths (0 for unused symbols; 1 for a lone symbol).
fn huffman_lengths(freq: &[u32]) -> Vec<u8> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut lengths = vec![0u8; freq.len()];
    // Nodes: leaves first, then internal ones; parent links give the depths.
    let mut parent: Vec<usize> = vec![];
    let mut heap = BinaryHeap::new();
    let mut leaves = vec![];
    for (s, &f) in freq.iter().enumerate().filter(|&(_, &f)| f > 0) {
        heap.push(Reverse((u64::from(f), parent.len())));
        parent.push(usize::MAX);
        leaves.push(s);
    }
    if leaves.len() == 1 {
        lengths[leaves[0]] = 1;
    }
    while heap.len() > 1 {
        let (Some(Reverse((fa, a))), Some(Reverse((fb, b)))) = (heap.pop(), heap.pop()) else { break };
        let node = parent.len();
        parent.push(usize::MAX);
        parent[a] = node;
        parent[b] = node;
        heap.push(Reverse((fa + fb, node)));
    }
    let mut depth = vec![0u8; parent.len()];
    for node in (0..parent.len()).rev() {
        if parent[node] != usize::MAX {
            depth[node] = depth[parent[node]].saturating_add(1);
        }
    }
    for (k, &s) in leaves.iter().enumerate() {
        if leaves.len() > 1 {
            lengths[s] = depth[k];
        }
    }
    lengths
}

/// Canonical codes for `lengths`, bit-reversed for a least-significant-first writer.
fn canonical(lengths: &[u8]) -> Vec<u16> {
    let mut count = [0u16; 16];
    for &l in lengths {
        count[usize::from(l)] += 1;
    }
    count[0] = 0;
    let mut next = [0u16; 16];
    let mut code = 0u16;
    for bits in 1..16 {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    lengths
        .iter()
        .map(|&l| {
            if l == 0 {
                return 0;
            }
            let c = next[usize::from(l)];
            next[usize::from(l)] += 1;
            c.reverse_bits() >> (16 - u16::from(l))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_codes_match_the_decoders_arithmetic() {
        for value in 1..5000u32 {
            let (symbol, extra, bits) = prefix(value);
            let decoded = if symbol < 4 {
                symbol + 1
            } else {
                let e = (symbol - 2) >> 1;
                assert_eq!(e, extra);
                ((2 + (symbol & 1)) << e) + bits + 1
            };
            assert_eq!(decoded, value);
        }
    }

    #[test]
    fn lengths_are_limited_and_form_whole_codes() {
        let fib: Vec<u32> = (0..30)
            .scan((1u32, 1u32), |s, _| {
                let v = s.0;
                *s = (s.1, s.0 + s.1);
                Some(v)
            })
            .collect();
        let lengths = limited_lengths(&fib, 15);
        assert!(lengths.iter().all(|&l| (1..=15).contains(&l)));
        let kraft: f64 = lengths.iter().map(|&l| 0.5f64.powi(i32::from(l))).sum();
        assert!((kraft - 1.0).abs() < 1e-12, "{kraft}");
    }
}
