import {
  clockTime,
  deskDefaults,
  noConcernsSummary,
  transcriptLines,
  withNoConcernsDefaults,
} from './desk';
import { emptyLogForm } from './log-form';

describe('the listening desk', () => {
  const zoe = { id: 'c1', name: 'Zoe Evans', relationship: 'SIBLING' };

  it('chooses the dialled contact (probable) and a good recording; someone not on the list otherwise', () => {
    expect(deskDefaults({ dialledNumber: '0791', contact: zoe }, [zoe])).toMatchObject({
      contactId: 'c1',
      confidence: 'PROBABLE',
      recordingQuality: 'GOOD',
      concernLevel: '',
      themes: [],
    });
    expect(deskDefaults({ dialledNumber: '0791', contact: null }, [zoe])).toMatchObject({
      contactId: 'not-on-list',
      confidence: '',
    });
  });

  it('gives "No concerns" alone the level None and the page’s summary, keeping what was chosen', () => {
    const summary = noConcernsSummary({ dialledNumber: '07911 000111', contact: null });
    expect(summary).toBe(
      'Listened to the call to 07911 000111, a number not on the contact list: nothing of concern was heard.',
    );
    const ticked = { ...emptyLogForm(), themes: ['NO_CONCERNS'] };
    expect(withNoConcernsDefaults(ticked, summary)).toMatchObject({
      concernLevel: 'NONE',
      summary,
    });
    expect(
      withNoConcernsDefaults({ ...ticked, concernLevel: 'LOW', summary: 'mine' }, summary),
    ).toMatchObject({ concernLevel: 'LOW', summary: 'mine' });
    const withTheme = { ...emptyLogForm(), themes: ['NO_CONCERNS', 'EXTREMISM'] };
    expect(withNoConcernsDefaults(withTheme, summary)).toBe(withTheme);
  });

  it('cuts transcript lines at their hits, overlapping hits as one, and places them on the bar', () => {
    const text = 'I am going to kill her now';
    const desk = transcriptLines(
      {
        segments: [
          { at: null, text: 'no time here', hits: [] },
          {
            at: 75,
            text,
            hits: [
              { start: 5, end: 18, phrase: 'going to kill' },
              { start: 14, end: 22, phrase: 'kill her' },
            ],
          },
        ],
      },
      300,
    );
    expect(desk?.lines[1]).toEqual({
      at: 75,
      time: '1:15',
      hits: 2,
      parts: [
        { text: 'I am ', hit: null },
        { text: 'going to kill her', hit: 'going to kill, kill her' },
        { text: ' now', hit: null },
      ],
    });
    expect(desk?.lines[0].time).toBeNull();
    expect(desk?.marks).toEqual([
      { percent: 25, time: '1:15', phrases: ['going to kill', 'kill her'] },
    ]);
    expect(transcriptLines(null, 300)).toBeNull();
    expect(clockTime(3599.9)).toBe('59:59');
  });
});
