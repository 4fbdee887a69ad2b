/**
 * jsdom has no canvas and the scaffold's setup makes getContext return nothing. Drawing code under test (ours and
 * @grafana/flamegraph's) only needs a context that accepts every call: a Proxy that records fillText labels (to
 * check what was drawn as text) and answers measureText and createImageData sensibly.
 */
export const drawnText: string[] = [];

function fakeContext(canvas: HTMLCanvasElement): unknown {
  const state: Record<string | symbol, unknown> = { canvas };
  return new Proxy(state, {
    get(target, prop) {
      if (prop in target) {
        return target[prop];
      }
      if (prop === 'measureText') {
        return (text: string) => ({ width: text.length * 7 });
      }
      if (prop === 'fillText') {
        return (text: string) => drawnText.push(text);
      }
      if (prop === 'createImageData') {
        return (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) });
      }
      if (prop === 'getImageData') {
        return (_x: number, _y: number, w: number, h: number) => ({
          width: w,
          height: h,
          data: new Uint8ClampedArray(w * h * 4),
        });
      }
      return () => undefined;
    },
    set(target, prop, value) {
      target[prop] = value;
      return true;
    },
  });
}

export function installCanvasStub(): void {
  if (typeof (globalThis as { Path2D?: unknown }).Path2D === 'undefined') {
    Object.assign(globalThis, {
      Path2D: class {
        rect() {}
        moveTo() {}
        lineTo() {}
        closePath() {}
      },
    });
  }
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement) {
    return fakeContext(this);
  } as never;
}
