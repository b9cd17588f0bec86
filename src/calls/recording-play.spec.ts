import { isPlay } from './recording-play';

describe('isPlay: which request for a recording is audited as a play', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, true],
    ['bytes=0-', true],
    ['bytes=0-65535', true],
    ['bytes=1000-', false],
    ['bytes=1-', false],
    ['bytes=-500', false],
    ['bytes=0-1', false],
    ['bytes=0-0', false],
    ['bytes=0-9,100-200', true],
    ['items=0-', true],
  ])('GET with Range %p: %p', (range, play) => {
    expect(isPlay({ method: 'GET', range })).toBe(play);
  });

  it('never for HEAD', () => {
    expect(isPlay({ method: 'HEAD' })).toBe(false);
  });
});
