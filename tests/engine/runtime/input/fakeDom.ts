// Stand-ins for window, document and a canvas in Node: plain EventTargets that count their
// listeners, and events carrying the fields the input classes read.

export class CountingTarget extends EventTarget {
  listeners = 0;
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    this.listeners++;
    super.addEventListener(...args);
  }
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    this.listeners--;
    super.removeEventListener(...args);
  }
}

export class FakeDocument extends CountingTarget {
  hidden = false;
  pointerLockElement: unknown = null;
  exitPointerLock(): void {
    this.pointerLockElement = null;
    this.dispatchEvent(new Event('pointerlockchange'));
  }
}

export class FakeCanvas extends CountingTarget {
  lockRequests = 0;
  constructor(private readonly doc?: FakeDocument, private readonly grantLock = false) {
    super();
  }
  requestPointerLock(): Promise<void> {
    this.lockRequests++;
    if (!this.grantLock || !this.doc) return Promise.reject(new Error('WrongDocumentError: pointer lock refused'));
    this.doc.pointerLockElement = this;
    this.doc.dispatchEvent(new Event('pointerlockchange'));
    return Promise.resolve();
  }
}

export function key(type: 'keydown' | 'keyup', code: string, extra: Record<string, unknown> = {}): Event {
  return Object.assign(new Event(type, { cancelable: true }), { code, repeat: false, ...extra });
}

export function pointer(type: string, fields: Record<string, unknown>): Event {
  return Object.assign(new Event(type, { cancelable: true }), { pointerType: 'mouse', pointerId: 1, button: 0, ...fields });
}
