import LightningConfirm from 'lightning/confirm';
import { confirmAction, formatLabel, nonEmptyLines, reduceErrors, sameRecordId, showToast } from 'c/partnerCenterUtils';

describe('c/partnerCenterUtils', () => {
  describe('reduceErrors', () => {
    it('reads UI API read errors (body is a list)', () => {
      expect(reduceErrors({ body: [{ message: 'A' }, { message: 'B' }], status: 400 })).toEqual(['A', 'B']);
    });

    it('reads UI API write errors: record errors and field errors, not the generic message', () => {
      const error = {
        body: {
          message: 'An error occurred while trying to update the record. Please try again.',
          output: {
            errors: [{ message: 'Record is locked' }],
            fieldErrors: { Microsoft_Help__c: [{ message: 'Make the deal visible to Microsoft sellers first' }] },
          },
        },
      };
      expect(reduceErrors(error)).toEqual(['Record is locked', 'Make the deal visible to Microsoft sellers first']);
    });

    it('falls back to body.message, Error.message, GraphQL messages, strings and status text', () => {
      expect(reduceErrors({ body: { message: 'Network timeout' } })).toEqual(['Network timeout']);
      expect(reduceErrors(new Error('Boom'))).toEqual(['Boom']);
      expect(reduceErrors([{ message: 'Field not supported' }])).toEqual(['Field not supported']);
      expect(reduceErrors('plain text')).toEqual(['plain text']);
      expect(reduceErrors({ statusText: 'Service Unavailable' })).toEqual(['Service Unavailable']);
    });

    it('drops empty values and duplicates', () => {
      expect(reduceErrors([null, undefined, '', { message: 'Same' }, { body: { message: 'Same' } }])).toEqual(['Same']);
      expect(reduceErrors(undefined)).toEqual([]);
    });
  });

  it('formatLabel fills numbered placeholders and leaves missing ones visible', () => {
    expect(formatLabel('Showing {0} of {1} solutions', 5, 12)).toBe('Showing 5 of 12 solutions');
    expect(formatLabel('{1} before {0}', 'a', 'b')).toBe('b before a');
    expect(formatLabel('Remove {0}', undefined)).toBe('Remove {0}');
  });

  it('sameRecordId compares 15- and 18-character ids', () => {
    expect(sameRecordId('006AA000001abcdAAA', '006AA000001abcd')).toBe(true);
    expect(sameRecordId('006AA000001abcdAAA', '006AA000001abcdAAA')).toBe(true);
    expect(sameRecordId('006AA000001abcdAAA', '006AA000001abceAAA')).toBe(false);
    expect(sameRecordId(undefined, '006AA000001abcd')).toBe(false);
  });

  it('nonEmptyLines keeps the order of the non-blank lines', () => {
    expect(nonEmptyLines('newest\r\n\n  older  \n')).toEqual(['newest', 'older']);
    expect(nonEmptyLines(null)).toEqual([]);
  });

  describe('confirmAction', () => {
    const open = jest.fn();
    beforeAll(() => {
      (LightningConfirm as unknown as { open: jest.Mock }).open = open;
    });

    it('opens the platform dialog with a header and resolves true only on OK', async () => {
      open.mockResolvedValueOnce(true);
      await expect(confirmAction({ label: 'Share?', message: 'Really share?' })).resolves.toBe(true);
      expect(open).toHaveBeenCalledWith({ variant: 'header', theme: 'default', label: 'Share?', message: 'Really share?' });

      open.mockResolvedValueOnce(undefined); // dialog closed with Esc
      await expect(confirmAction({ label: 'Share?', message: 'Really share?' })).resolves.toBe(false);
    });
  });

  it('showToast dispatches the platform toast event', () => {
    const target = document.createElement('div');
    const received: unknown[] = [];
    target.addEventListener('lightning__showtoast', (event) => received.push((event as CustomEvent).detail));
    showToast(target, 'Saved', 'All good', 'success');
    expect(received).toEqual([{ title: 'Saved', message: 'All good', variant: 'success' }]);
  });
});
