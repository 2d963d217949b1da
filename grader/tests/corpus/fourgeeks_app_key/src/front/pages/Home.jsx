export const Home = () => {
  return (
    <div className="container text-center mt-5">
      <h1>Movie Night 🍿</h1>
      <p>Vote for the next movie with your friends.</p>
    </div>
  );
};
