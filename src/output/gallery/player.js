/* sgd-anim's step-by-step player, for each <figure class="anim" data-gif="x.gif"> of the page
   (data-webp="x.webp" too where the grid wrote WebPs: decoded instead where the browser can).
   It decodes the GIF with WebCodecs' ImageDecoder and draws its frames on a canvas; where that
   API is missing, or the file cannot be fetched (a page opened from disk), the animated <img>
   stays as it is. Until a control is used the <img> plays (or shows its poster to readers who
   ask for reduced motion); a figure with data-eager takes over at once. Frame k shows step k.
   Playing keeps the GIF's time: frame k shows at the start plus the delays before it (divided
   by the speed), decoded ahead; frames whose time is over are skipped. A decoder is closed
   when the player pauses or leaves the screen. */
(() => {
  'use strict';
  // From disk (file:) the GIFs cannot be fetched: no controls that could only fail.
  if (typeof ImageDecoder !== 'function' || location.protocol === 'file:' || window.sgdAnimPlayer) return;
  window.sgdAnimPlayer = true;
  const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
  const make = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const name = (gif) => decodeURIComponent(gif.split('/').pop());

  /* An animated WebP's frames as its chunks say: each whole ANMF frame's duration in ms
     (10 ms or less shown as 100 ms, as for a GIF; 0x464d4e41 is 'ANMF' read little-endian),
     and whether the file is as long as its RIFF header says. */
  const parseWebp = (b) => {
    const n = (i, k) => b.subarray(i, i + k).reduceRight((v, x) => v * 256 + x, 0);
    const end = 8 + n(4, 4);
    const delays = [];
    let i = 12;
    for (let s; i < end && i + 8 + (s = n(i + 4, 4)) <= b.length; i += 8 + s + (s & 1)) {
      if (n(i, 4) === 0x464d4e41) delays.push(n(i + 20, 3) > 10 ? n(i + 20, 3) : 100);
    }
    return { delays, whole: i >= end };
  };

  /* A GIF's frames as its blocks say: each whole frame's delay in ms (browsers show a delay
     of 10 ms or less as 100 ms), and whether the file ends with its trailer. A WebP's, above. */
  const parse = (buffer) => {
    const b = new Uint8Array(buffer);
    if (b.length === 0) return { error: 'is empty' };
    if (String.fromCharCode(...b.subarray(0, 4)) === 'RIFF') return parseWebp(b);
    const sig = String.fromCharCode(...b.subarray(0, 6));
    if (sig !== 'GIF89a' && sig !== 'GIF87a') return { error: 'is not a GIF' };
    let i = 13 + (b[10] & 0x80 ? 3 << ((b[10] & 7) + 1) : 0);
    const delays = [];
    let delay = 0;
    const blocks = () => {
      while (i < b.length) {
        const n = b[i];
        i += 1 + n;
        if (n === 0) return i <= b.length;
      }
      return false;
    };
    while (i < b.length) {
      const t = b[i];
      if (t === 0x3b) return { delays, whole: true };
      if (t === 0x21) {
        if (b[i + 1] === 0xf9 && i + 5 < b.length) delay = (b[i + 4] | (b[i + 5] << 8)) * 10;
        i += 2;
        if (!blocks()) break;
      } else if (t === 0x2c) {
        if (i + 10 > b.length) break;
        const flags = b[i + 9];
        i += 11 + (flags & 0x80 ? 3 << ((flags & 7) + 1) : 0);
        if (!blocks()) break;
        delays.push(delay > 10 ? delay : 100);
        delay = 0;
      } else break;
    }
    return { delays, whole: false };
  };

  /* The figure keys go to: the one holding focus, else the one under the pointer. */
  let hovered = null;
  const target = (e) => {
    const focused = e.target.closest && e.target.closest('figure.anim');
    if (focused && focused.player) return focused.player;
    const free = e.target === document.body || e.target === document.documentElement;
    return free && hovered ? hovered : null;
  };
  document.addEventListener('keydown', (e) => {
    const p = target(e);
    if (p) p.key(e);
  });

  class Player {
    constructor(figure) {
      this.figure = figure;
      this.count = Number(figure.dataset.frames) || 0;
      this.k = reduce ? -1 : 0;
      this.shown = -1;
      this.playing = !reduce;
      this.dir = 1;
      this.heading = 1;
      this.speed = 1;
      this.mode = 'loop';
      this.gen = 0;
      this.delays = [];
      this.started = null;
      this.loadedAt = performance.now();
      this.build();
      this.sync();
      this.watchImage();
      if ('eager' in figure.dataset) this.ready();
    }

    build() {
      const f = this.figure;
      // The buttons with a key of their own stay out of the Tab order (a page of figures
      // would otherwise have ten stops each); their title names the key.
      const button = (label, text, act, key) => {
        const attrs = { type: 'button', 'aria-label': label, title: key ? label + ' (' + key + ')' : label };
        if (key) Object.assign(attrs, { tabindex: -1, 'aria-keyshortcuts': key });
        const b = make('button', attrs, text);
        b.addEventListener('click', () => this.act(act));
        return b;
      };
      this.bar = make('div', { class: 'controls', role: 'group', 'aria-label': 'Player of ' + name(f.dataset.gif) });
      const first = button('First step', '\u21E4', (p) => p.go(0), 'Home');
      const back = button('Play backwards', '\u25C0', (p) => p.toggle(-1), 'J');
      const prev = button('Previous step', '\u2039', (p) => p.step(-1), 'ArrowLeft');
      this.playButton = button('Play', '\u25B6', (p) => (p.playing ? p.pause() : p.toggle(1)));
      const next = button('Next step', '\u203A', (p) => p.step(1), 'ArrowRight');
      const last = button('Last step', '\u21E5', (p) => p.go(p.count - 1), 'End');
      this.range = make('input', { type: 'range', min: 0, max: Math.max(this.count - 1, 0), value: 0, 'aria-label': 'Step' });
      this.range.addEventListener('input', () => {
        const k = Number(this.range.value);
        this.act((p) => p.go(k));
      });
      this.out = make('output', { 'aria-live': 'polite' });
      const speed = make('select', { 'aria-label': 'Speed' });
      for (const s of ['0.25', '0.5', '1', '2', '4']) speed.append(make('option', { value: s }, s + '\u00D7'));
      speed.value = '1';
      speed.addEventListener('change', () => {
        this.speed = Number(speed.value);
        if (this.playing && this.canvas) this.run();
      });
      const mode = make('select', { 'aria-label': 'At the end' });
      for (const m of ['loop', 'once', 'reflect']) mode.append(make('option', { value: m }, m));
      mode.addEventListener('change', () => { this.mode = mode.value; });
      this.bar.append(first, back, prev, this.playButton, next, last, this.range, this.out, speed, mode);
      this.note = make('p', { class: 'player-note', role: 'status', hidden: '' });
      f.insertBefore(this.bar, f.querySelector('figcaption'));
      f.insertBefore(this.note, this.bar);
      f.addEventListener('pointerenter', () => { hovered = this; });
      f.addEventListener('pointerleave', () => { if (hovered === this) hovered = null; });
      // Off screen, a playing figure stops and lets go of its decoder; back on screen it
      // plays on from the frame it showed.
      if ('IntersectionObserver' in window) {
        new IntersectionObserver((entries) => {
          this.visible = entries[entries.length - 1].isIntersecting;
          if (!this.visible) {
            this.gen += 1;
            this.closeDecoder();
          } else if (this.playing && this.canvas) this.run();
        }).observe(f);
      }
    }

    /* Words for a file that is missing or broken. */
    say(text) {
      this.note.textContent = text;
      this.note.hidden = false;
    }

    watchImage() {
      const img = this.figure.querySelector('img');
      if (!img) return;
      // The player's own words (HTTP 404, empty, not a GIF) say more: they stay.
      const unreadable = () => {
        if (this.note.hidden) this.say('Cannot show ' + name(this.figure.dataset.gif) + ': the file is missing or is not an image.');
      };
      img.addEventListener('error', unreadable);
      img.addEventListener('load', () => { this.loadedAt = performance.now(); });
      if (img.complete && img.naturalWidth === 0 && (img.currentSrc || img.src)) unreadable();
    }

    key(e) {
      const t = e.target;
      if (e.altKey || e.ctrlKey || e.metaKey || (t.matches && t.matches('input, select, textarea'))) return;
      const acts = {
        ArrowLeft: (p) => p.step(-1),
        ArrowRight: (p) => p.step(1),
        Home: (p) => p.go(0),
        End: (p) => p.go(p.count - 1),
        j: (p) => p.toggle(-1),
        k: (p) => (p.playing ? p.pause() : p.toggle(1)),
        l: (p) => p.toggle(1),
        ' ': (p) => (p.playing ? p.pause() : p.toggle(1)),
      };
      // A button presses itself on Space.
      if (!acts[e.key] || (e.key === ' ' && t.matches && t.matches('button'))) return;
      e.preventDefault();
      this.act(acts[e.key]);
    }

    /* Every control waits for the decoder, in the order it was used. */
    act(f) {
      this.ready().then((ok) => { if (ok) f(this); });
    }

    ready() {
      this.started = this.started || this.start();
      return this.started;
    }

    /* The frame the playing <img> shows about now, by the clock since it loaded. */
    estimate() {
      const total = this.delays.reduce((a, b) => a + b, 0);
      if (!this.playing || total <= 0) return this.k < 0 ? this.count - 1 : this.k;
      let t = (performance.now() - this.loadedAt) % total;
      for (let k = 0; k < this.delays.length; k += 1) {
        t -= this.delays[k];
        if (t < 0) return k;
      }
      return this.count - 1;
    }

    async start() {
      const f = this.figure;
      // The WebP where there is one and this browser's ImageDecoder reads it: fewer bytes.
      const w = f.dataset.webp && (await ImageDecoder.isTypeSupported('image/webp'));
      const url = w ? f.dataset.webp : f.dataset.gif;
      this.type = w ? 'image/webp' : 'image/gif';
      const gif = name(url);
      let buffer;
      try {
        const response = await fetch(url);
        if (!response.ok) {
          this.off('HTTP ' + response.status, gif + ' is missing (HTTP ' + response.status + ').');
          return false;
        }
        buffer = await response.arrayBuffer();
      } catch (err) {
        // A page opened from disk: the <img> plays on its own.
        this.off(String(err), '');
        return false;
      }
      const found = parse(buffer);
      if (found.error || found.delays.length === 0) {
        this.off(found.error || 'no frame', gif + ' ' + (found.error || 'holds no whole frame') + '.');
        return false;
      }
      this.buffer = buffer;
      this.delays = found.delays;
      this.count = found.delays.length;
      if (!found.whole) this.say(gif + ' is cut short: it ends after step ' + (this.count - 1) + '.');
      this.range.max = this.count - 1;
      const k = this.estimate();
      let frame;
      try {
        frame = await this.decode(k);
      } catch (err) {
        this.off(String(err), gif + ' cannot be decoded.');
        return false;
      }
      const img = f.querySelector('img');
      this.canvas = make('canvas', {
        width: frame.displayWidth,
        height: frame.displayHeight,
        role: 'img',
        tabindex: 0,
        'aria-label': img ? img.alt : gif,
      });
      this.ctx = this.canvas.getContext('2d');
      const picture = f.querySelector('picture, img');
      if (picture) picture.hidden = true;
      f.insertBefore(this.canvas, this.note);
      f.classList.add('stepping');
      this.paint(frame, k);
      if (this.playing) this.run();
      else this.closeSoon();
      return true;
    }

    /* The player gives up: its controls go, the <img> stays, and `words` say why. */
    off(why, words) {
      this.bar.remove();
      this.figure.dataset.player = 'off: ' + why;
      if (words) this.say(words);
    }

    async decode(k) {
      clearTimeout(this.closing);
      if (!this.decoder) {
        this.decoder = new ImageDecoder({ data: this.buffer, type: this.type });
      }
      const { image } = await this.decoder.decode({ frameIndex: k });
      return image;
    }

    closeDecoder() {
      clearTimeout(this.closing);
      if (this.decoder) this.decoder.close();
      this.decoder = null;
    }

    /* A paused player keeps its decoder a moment, for the next step. */
    closeSoon() {
      clearTimeout(this.closing);
      this.closing = setTimeout(() => { if (!this.playing) this.closeDecoder(); }, 3000);
    }

    paint(frame, k) {
      this.ctx.drawImage(frame, 0, 0);
      frame.close();
      this.shown = k;
      this.k = k;
      this.figure.dataset.shown = k;
      this.sync();
    }

    /* A frame that does not decode: the file ends before it. The counter keeps naming the
       frame shown, and the steps stop where the file does. */
    cutShort(k) {
      this.count = Math.max(1, Math.min(this.count, k));
      this.range.max = this.count - 1;
      this.say(name(this.figure.dataset.gif) + ' is cut short or damaged: step ' + k + ' cannot be decoded.');
      this.pause();
    }

    /* Shows frame k, paused. */
    async go(k) {
      this.pause();
      const gen = this.gen;
      k = Math.max(0, Math.min(k, this.count - 1));
      this.k = k;
      let frame;
      try {
        frame = await this.decode(k);
      } catch (err) {
        if (gen === this.gen) this.cutShort(k);
        return;
      }
      if (gen !== this.gen) return frame.close();
      this.paint(frame, k);
      this.closeSoon();
    }

    /* d steps from the frame asked for last (shown, or on its way). */
    step(d) {
      this.go(this.k + d);
    }

    /* Plays forwards (dir 1) or backwards (-1), or pauses if it plays that way already. */
    async toggle(dir) {
      if (this.playing && this.heading === dir) return this.pause();
      const end = dir > 0 ? this.count - 1 : 0;
      if (this.mode === 'once' && this.shown === end) await this.go(this.count - 1 - end);
      this.dir = dir;
      this.heading = dir;
      this.run();
    }

    pause() {
      this.playing = false;
      this.gen += 1;
      this.sync();
      this.closeSoon();
    }

    /* The frame after `at` while playing, or -1 to stop. */
    after(at) {
      const last = this.count - 1;
      if (this.mode === 'reflect' && last > 0) {
        if (at + this.dir > last || at + this.dir < 0) this.dir = -this.dir;
        return at + this.dir;
      }
      const next = at + this.dir;
      if (next >= 0 && next <= last) return next;
      if (this.mode === 'once') return -1;
      return this.dir > 0 ? 0 : last;
    }

    /* Plays from the frame shown, on the clock. */
    async run() {
      this.gen += 1;
      const gen = this.gen;
      this.playing = true;
      this.sync();
      if (this.visible === false) return;
      let at = this.shown < 0 ? 0 : this.shown;
      let due = performance.now();
      while (gen === this.gen) {
        let next = this.after(at);
        if (next < 0) return this.pause();
        due += this.delays[at] / this.speed;
        // Behind the clock: skip the frames whose time is over.
        while (performance.now() > due + this.delays[next] / this.speed) {
          const later = this.after(next);
          if (later < 0) break;
          due += this.delays[next] / this.speed;
          next = later;
        }
        const decoding = this.decode(next);
        decoding.catch(() => {});
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        let frame;
        try {
          frame = await decoding;
        } catch (err) {
          if (gen === this.gen) this.cutShort(next);
          return;
        }
        if (gen !== this.gen) return frame.close();
        this.paint(frame, next);
        at = next;
      }
    }

    sync() {
      const label = this.playing ? 'Pause' : 'Play';
      this.playButton.setAttribute('aria-label', label);
      this.playButton.title = label;
      this.playButton.textContent = label === 'Pause' ? '\u275A\u275A' : '\u25B6';
      const known = this.shown >= 0 || (!this.playing && this.count > 0);
      const k = this.shown >= 0 ? this.shown : this.count - 1;
      if (known) this.range.value = k;
      this.out.textContent = 'step ' + (known ? k : '\u2013') + ' / ' + (this.count > 0 ? this.count - 1 : '?');
      this.out.setAttribute('aria-live', this.playing ? 'off' : 'polite');
    }
  }

  const init = () => document.querySelectorAll('figure.anim').forEach((f) => {
    if (!f.player) f.player = new Player(f);
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
