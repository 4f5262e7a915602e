// Every sentence the app says to a person, by error kind and by purpose.
// Rust sends a stable `kind`; the words live here.

export const errorText = Object.freeze({
  offline: "Нет связи с сервером записи. Проверьте подключение к интернету и попробуйте ещё раз.",
  invalid_input: "Проверьте введённые данные: некоторые из них заполнены неверно.",
  session_expired: "Сеанс завершён. Войдите через ЕСИА ещё раз.",
  login_refused: "Вход не выполнен: вы отказались от входа или Госуслуги не подтвердили его. Попробуйте ещё раз.",
  internal: "Что-то пошло не так. Попробуйте ещё раз; если ошибка повторится, обратитесь в регистратуру.",
});

/** The Russian text for an error thrown by api.js. */
export function describeError(error) {
  return errorText[error && error.kind] || errorText.internal;
}

export const text = Object.freeze({
  portalEmbedded: "демонстрационный, работает на этом компьютере",
  portalRemote: "региональный портал",
  portalOnline: "на связи",
  portalOffline: "нет связи",
  comingSoon: "Этот раздел появится в одной из ближайших версий приложения.",
  staleLogin: "Эта ссылка входа устарела или уже использована. Нажмите «Войти через ЕСИА» ещё раз.",
  signedIn: (name) => `Вы вошли как ${name}.`,
  signedOut: "Вы вышли из личного кабинета.",
  notRemembered: "Хранилище паролей на этом компьютере недоступно: после закрытия приложения войдите снова.",
  unconfirmed: "Ваша учётная запись на Госуслугах не подтверждена. Записаться к врачу можно после подтверждения: в центре обслуживания, через банк или заказным письмом.",
});
