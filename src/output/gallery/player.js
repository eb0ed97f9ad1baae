/* sgd-anim's step-by-step player, for each <figure class="anim" data-gif="x.gif"> of the page.
   It decodes the GIF with WebCodecs' ImageDecoder and draws its frames on a canvas; where that
   API is missing, or the file cannot be fetched (a page opened from disk), the animated <img>
   stays as it is. Until a control is used the <img> plays (or shows its poster to readers who
   ask for reduced motion); a figure with data-eager takes over at once. Frame k shows step k. */
(() => {
  'use strict';
  if (typeof ImageDecoder !== 'function') return;
  const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
  const make = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  };

  class Player {
    constructor(figure) {
      this.figure = figure;
      this.count = Number(figure.dataset.frames) || 1;
      this.k = reduce ? this.count - 1 : 0;
      this.playing = !reduce;
      this.dir = 1;
      this.speed = 1;
      this.mode = 'loop';
      this.shown = -1;
      this.busy = false;
      this.delays = [];
      this.started = null;
      this.build();
      this.sync();
      if ('eager' in figure.dataset) this.ready();
    }

    build() {
      const f = this.figure;
      const button = (label, text, act) => {
        const b = make('button', { type: 'button', 'aria-label': label, title: label }, text);
        b.addEventListener('click', () => this.act(act));
        return b;
      };
      this.bar = make('div', { class: 'controls', role: 'group', 'aria-label': 'Player of ' + f.dataset.gif });
      this.prev = button('Previous step', '\u2039', (p) => p.step(-1));
      this.playButton = button('Play', '\u25B6', (p) => p.toggle());
      this.next = button('Next step', '\u203A', (p) => p.step(1));
      this.range = make('input', { type: 'range', min: 0, max: this.count - 1, value: this.k, 'aria-label': 'Step' });
      this.range.addEventListener('input', () => {
        const k = Number(this.range.value);
        this.act((p) => { p.pause(); p.go(k); });
      });
      this.out = make('output', { 'aria-live': 'polite' });
      const speed = make('select', { 'aria-label': 'Speed' });
      for (const s of ['0.25', '0.5', '1', '2', '4']) speed.append(make('option', { value: s }, s + '\u00D7'));
      speed.value = '1';
      speed.addEventListener('change', () => { this.speed = Number(speed.value); });
      const mode = make('select', { 'aria-label': 'At the end' });
      for (const m of ['loop', 'once', 'reflect']) mode.append(make('option', { value: m }, m));
      mode.addEventListener('change', () => { this.mode = mode.value; });
      this.bar.append(this.prev, this.playButton, this.next, this.range, this.out, speed, mode);
      f.insertBefore(this.bar, f.querySelector('figcaption'));
      f.addEventListener('keydown', (e) => this.key(e));
    }

    key(e) {
      const t = e.target;
      if (e.altKey || e.ctrlKey || e.metaKey || t.matches('input, select')) return;
      const last = this.count - 1;
      const acts = {
        ArrowLeft: (p) => p.step(-1),
        ArrowRight: (p) => p.step(1),
        Home: (p) => { p.pause(); p.go(0); },
        End: (p) => { p.pause(); p.go(last); },
        k: (p) => p.toggle(),
        ' ': (p) => p.toggle(),
      };
      // A button presses itself on Space.
      if (!acts[e.key] || (e.key === ' ' && t.matches('button'))) return;
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

    async start() {
      const f = this.figure;
      const picture = f.querySelector('picture, img');
      try {
        const response = await fetch(f.dataset.gif);
        if (!response.ok) throw new Error('HTTP ' + response.status);
        const decoder = new ImageDecoder({ data: await response.arrayBuffer(), type: 'image/gif' });
        await decoder.tracks.ready;
        const last = this.count - 1;
        this.count = decoder.tracks.selectedTrack.frameCount;
        this.range.max = this.count - 1;
        this.k = this.k === last ? this.count - 1 : Math.min(this.k, this.count - 1);
        // The canvas takes the image's place only once it shows a frame.
        const k = this.k;
        const { image } = await decoder.decode({ frameIndex: k });
        const img = f.querySelector('img');
        this.canvas = make('canvas', {
          width: image.displayWidth,
          height: image.displayHeight,
          role: 'img',
          tabindex: 0,
          'aria-label': img ? img.alt : f.dataset.gif,
        });
        this.ctx = this.canvas.getContext('2d');
        this.ctx.drawImage(image, 0, 0);
        this.delays[k] = (image.duration || 1e5) / 1000;
        image.close();
        this.decoder = decoder;
        this.shown = k;
        f.dataset.shown = k;
        if (picture) picture.hidden = true;
        f.insertBefore(this.canvas, this.bar);
        f.classList.add('stepping');
        this.sync();
        this.draw();
        return true;
      } catch (err) {
        this.bar.remove();
        f.dataset.player = 'off: ' + err;
        return false;
      }
    }

    go(k) {
      this.k = Math.max(0, Math.min(k, this.count - 1));
      this.sync();
      this.draw();
    }

    step(d) {
      this.pause();
      this.go(this.k + d);
    }

    toggle() {
      if (this.playing) return this.pause();
      if (this.mode === 'once' && this.k === this.count - 1) this.k = 0;
      this.playing = true;
      this.sync();
      this.draw();
    }

    pause() {
      this.playing = false;
      clearTimeout(this.timer);
      this.sync();
    }

    /* The frame after this one while playing, or -1 to stop. */
    after() {
      const last = this.count - 1;
      if (this.mode === 'reflect' && last > 0) {
        if (this.k + this.dir > last || this.k + this.dir < 0) this.dir = -this.dir;
        return this.k + this.dir;
      }
      if (this.k < last) return this.k + 1;
      return this.mode === 'once' ? -1 : 0;
    }

    /* Draws frame k (one decode at a time; the newest wish wins), then waits its delay. */
    draw() {
      if (this.busy || !this.decoder) return;
      if (this.shown === this.k) return this.wait();
      this.busy = true;
      const k = this.k;
      this.decoder
        .decode({ frameIndex: k })
        .then(({ image }) => {
          this.ctx.drawImage(image, 0, 0);
          this.delays[k] = (image.duration || 1e5) / 1000;
          image.close();
        })
        .catch(() => {})
        .finally(() => {
          this.shown = k;
          this.figure.dataset.shown = k;
          this.busy = false;
          this.draw();
        });
    }

    wait() {
      clearTimeout(this.timer);
      if (!this.playing) return;
      this.timer = setTimeout(() => {
        const k = this.after();
        if (k < 0) this.pause();
        else this.go(k);
      }, this.delays[this.k] / this.speed);
    }

    sync() {
      const label = this.playing ? 'Pause' : 'Play';
      this.playButton.setAttribute('aria-label', label);
      this.playButton.title = label;
      this.playButton.textContent = this.playing ? '\u275A\u275A' : '\u25B6';
      this.range.value = this.k;
      const known = this.decoder || !this.playing;
      this.out.textContent = 'step ' + (known ? this.k : '\u2013') + ' / ' + (this.count - 1);
      this.out.setAttribute('aria-live', this.playing ? 'off' : 'polite');
    }
  }

  const init = () => document.querySelectorAll('figure.anim').forEach((f) => { f.player = new Player(f); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
