export const initialStore = () => {
  return {
    token: localStorage.getItem("token"),
    user: null,
  };
};

export default function storeReducer(store, action = {}) {
  switch (action.type) {
    case "login":
      return {
        ...store,
        token: action.payload.token,
        user: action.payload.user,
      };
    case "set_user":
      return {
        ...store,
        user: action.payload,
      };
    case "logout":
      return {
        ...store,
        token: null,
        user: null,
      };
    default:
      throw Error("Unknown action.");
  }
}
