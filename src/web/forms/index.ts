/** The forms kit every page's routes share: values, path guards, errors, DTO checks, dates, paging. */
export * from './dates';
export * from './form-errors';
export * from './paging';
export * from './values';
