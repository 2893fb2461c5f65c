import type { Probot } from "probot";

const byApp = new WeakMap<Probot, Promise<string>>();

/**
 * The bot's own login, `<app slug>[bot]`, from `GET /app` (app-authenticated), fetched once per app.
 * Command records are trusted only in comments by exactly this login.
 */
export function resolveBotLogin(app: Probot): Promise<string> {
  let p = byApp.get(app);
  if (!p) {
    p = app
      .auth()
      .then((octokit) => octokit.rest.apps.getAuthenticated())
      .then(({ data }) => {
        if (!data?.slug) throw new Error("GET /app returned no slug");
        return `${data.slug}[bot]`;
      });
    // A failed lookup is retried on the next event instead of being cached.
    p.catch(() => byApp.delete(app));
    byApp.set(app, p);
  }
  return p;
}
