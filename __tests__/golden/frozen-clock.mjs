// Preloaded into a bundle (`node --import`) by the golden test: the process's clock reads GOLDEN_NOW,
// so every time the product prints or stores is the same on every run.
const fixed = Date.parse(process.env.GOLDEN_NOW ?? '')
if (Number.isNaN(fixed)) throw new Error('frozen-clock: set GOLDEN_NOW to an ISO date-time')
const RealDate = Date
class FrozenDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(fixed)
    else super(...args)
  }
  static now() {
    return fixed
  }
}
globalThis.Date = FrozenDate
