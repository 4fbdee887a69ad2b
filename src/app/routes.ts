/** The app's pages, relative to `/a/seed-goruntime-app/` (each is a `page` in src/plugin.json's `includes`). */
export const APP_ID = 'seed-goruntime-app';

export const APP_ROUTES = {
  overview: 'overview',
  analyze: 'analyze',
} as const;

export const appUrl = (route: string) => `/a/${APP_ID}/${route}`;
